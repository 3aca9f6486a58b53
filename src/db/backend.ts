// One database as the rest of the service sees it: one explicit object, made once by the runtime
// (src/runtime/database.ts on Node, the worker on D1) and passed to whoever writes.
//
// It holds what used to hide in module-level maps keyed by the Kysely handle: the write queue
// with its group commit, the audit key, how commits are made durable and how a change by
// another writer is noticed.
import type { Kysely } from 'kysely';
import type { AuditKey } from '../domain/audit.ts';
import type { Committed, Plan, PlanCommitter } from '../domain/plan.ts';
import { registerChangeProbe } from './changes.ts';
import { closeCommitSync, durable, registerCommitSync, type CommitSync } from './durability.ts';
import type { DB } from './schema/index.ts';
import type { Recorder, Tx } from './tx.ts';
import { bindQueue, WriteQueue } from './write.ts';

export type BackendDialect = 'sqlite' | 'postgres' | 'd1';

export interface Backend extends PlanCommitter {
  readonly dialect: BackendDialect;
  /** Writes, and the reads that must see them at once. */
  readonly db: Kysely<DB>;
  /** Plain reads (on SQLite a second connection). */
  readonly reader: Kysely<DB>;
  /**
   * Commits a plan atomically (src/db/commit.ts): one transaction, in a group commit with others,
   * on SQLite and PostgreSQL; one batch on D1. Answers once it is on disk. `onCommitted` runs as
   * soon as it is committed (before it is on disk): for in-memory followers of the rows.
   */
  commit(plan: Plan, onCommitted?: (c: Committed) => void): Promise<Committed>;
  /**
   * The interactive write of the code not yet converted to plans (SQLite and PostgreSQL only;
   * a D1 backend has none).
   */
  write?<T>(work: (tx: Tx, rec: Recorder) => Promise<T>): Promise<T>;
  /** XIANSUO_AUDIT_KEY: every later commit keys the chain with it. */
  useAuditKey(key: AuditKey | undefined): void;
  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void>;
  close(): Promise<void>;
}

export interface SqlBackendOptions {
  db: Kysely<DB>;
  reader?: Kysely<DB>;
  dialect: 'sqlite' | 'postgres';
  /** How commits reach the disk (a SQLite file: fdatasync of the WAL); none: at commit. */
  commitSync?: CommitSync;
  /** Versions that move when another connection commits (SQLite's data_version), per handle. */
  changeProbes?: { db?: () => number; reader?: () => number };
  close?(): Promise<void>;
}

export function sqlBackend(o: SqlBackendOptions): Backend {
  const reader = o.reader ?? o.db;
  const queue = new WriteQueue(o.db, o.dialect);
  // Code still written against the handle (write(db, …), durable(db), changeGate(db)) finds these.
  bindQueue(o.db, queue);
  if (o.commitSync) registerCommitSync(o.db, o.commitSync);
  if (o.changeProbes?.db) registerChangeProbe(o.db, o.changeProbes.db);
  if (o.changeProbes?.reader) registerChangeProbe(reader, o.changeProbes.reader);
  return {
    dialect: o.dialect, db: o.db, reader,
    commit: (plan, onCommitted) => queue.commitPlan(plan, onCommitted),
    write: (work) => queue.push(work),
    useAuditKey: (key) => { queue.key = key; },
    durable: () => durable(o.db),
    close: async () => {
      await closeCommitSync(o.db);
      await o.close?.();
    },
  };
}
