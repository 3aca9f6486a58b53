// The commit of a plan, and everything it does on the way, in one file: the Backend object that the
// runtime makes once per database and passes to whoever writes; the write queue with its group
// commit; the plan as plain SQL statements; the audit chain's states; the sources' callbacks
// queued with the events that cause them; and how a commit is made durable.
//
// commit(plan): a plan (src/domain/plan.ts) as one atomic list of SQL statements.
// compilePlan turns a plan whose counter numbers are known into plain statements (SQL text and
// parameters) in the SQL that SQLite, D1 and PostgreSQL share; only the parameter marks differ
// (`?` or `$n`). A guard is a statement that fails the whole list when its fact no longer holds:
//   insert into plan_guard (ok) select 0 where not exists (select 1 from <table> where …)
// plan_guard has CHECK (ok = 1), so the insert fails exactly when the guarded row is gone (or,
// for `absent`, is there), and nothing of the list is kept. The same list runs as one
// transaction on SQLite and PostgreSQL (inside the write queue's group commit below, one
// savepoint per plan) and as one `db.batch()` on D1 (src/db/d1/backend.ts).
//
// On SQLite and PostgreSQL the commit takes the counters' next values inside the transaction and
// chains the events after the head it holds; a D1 backend reads both before the batch and guards
// that they did not move.
//
// Group commit: writes that arrive while a transaction is being committed wait and then share
// the next transaction, each inside a savepoint of its own (a failing one is rolled back alone).
// Every caller still learns its outcome only after the commit that holds its work is on disk
// (the backend's commit sync), so a 2xx is never sent for something that could be lost; the fixed
// cost of a commit is paid once per group. While one group's commit is being synced, the next
// group runs.
//
// Durable commits on SQLite without stopping the event loop: better-sqlite3 runs every statement
// on the calling thread, and under `synchronous = FULL` each COMMIT waited there for the WAL's
// fsync. Instead the connection runs at NORMAL (a COMMIT hands its frames to the operating system
// and returns; SQLite still syncs around checkpoints, so the file stays consistent), and whoever
// must not answer before the commit is on disk awaits the backend's `durable()`: on Node, an
// fdatasync of the WAL file on libuv's thread pool (src/runtime/walSync.ts). Concurrent callers
// share one sync; a caller that arrives while a sync runs waits for the next one (the running one
// may have started before its commit). A backend without a commit sync (PostgreSQL, whose COMMIT
// is durable already; an in-memory SQLite; D1) resolves at once. This module knows no file
// system: the runtime hands the backend its commit sync.
import { CompiledQuery, PostgresAdapter, sql, type Kysely } from 'kysely';
import { chain, keyMarker, type AuditKey, type EventDraft } from '../domain/audit.ts';
import { recordedState, stateText, type RecordedState } from '../domain/auditState.ts';
import {
  callbackTrigger, planCallbacks, type CallbackReport, type LeadFacts, type RecordedEvent,
} from '../domain/callbacks/index.ts';
import { ChangeGate } from '../domain/dedupe/changeGate.ts';
import {
  PlanConflict, fillIn, formatCounter, hasPlaceholder,
  type Committed, type Guard, type Plan, type PlanCommitter, type Scalar, type SetValue, type Where, type Write,
} from '../domain/plan.ts';
import { reusable } from './reusable.ts';
import type { DB } from './schema/index.ts';
import type { Recorder, Tx } from './tx.ts';

// ---------------------------------------------------------------------------------------------
// The backend: one per database

export type BackendDialect = 'sqlite' | 'postgres' | 'd1';

/**
 * One database as the rest of the service sees it: one explicit object, made once by the runtime
 * (src/runtime/database.ts on Node, the worker on D1) and passed to whoever writes. It holds the
 * write queue with its group commit, the audit key, how commits are made durable and how a change
 * by another writer is noticed.
 */
export interface Backend extends PlanCommitter {
  readonly dialect: BackendDialect;
  /** Writes, and the reads that must see them at once. */
  readonly db: Kysely<DB>;
  /** Plain reads (on SQLite a second connection). */
  readonly reader: Kysely<DB>;
  /**
   * Commits a plan atomically: one transaction, in a group commit with others, on SQLite and
   * PostgreSQL; one batch on D1. Answers once it is on disk. `onCommitted` runs as soon as it is
   * committed (before it is on disk): for in-memory followers of the rows.
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
  /**
   * A version that moves whenever another connection commits to what `handle` (the backend's
   * db or reader) reads (SQLite's data_version), or undefined when the backend cannot tell.
   */
  changeProbe(handle: Kysely<DB>): (() => number) | undefined;
  close(): Promise<void>;
}

/** How a backend's commits are made durable: a sync to wait for, and what to let go at close. */
export interface CommitSync {
  sync(): Promise<void>;
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
  let sync = o.commitSync ? coalesce(o.commitSync.sync) : undefined;
  // Once closed, nothing is left to sync (as with a backend that has no commit sync).
  const flush = () => sync?.() ?? Promise.resolve();
  const queue = new WriteQueue(o.db, o.dialect, flush);
  const backend: Backend = {
    dialect: o.dialect, db: o.db, reader,
    commit: (plan, onCommitted) => queue.commitPlan(plan, onCommitted),
    write: (work) => queue.push(work),
    useAuditKey: (key) => { queue.key = key; },
    durable: flush,
    changeProbe: (handle) => {
      if (handle === reader && o.changeProbes?.reader) return o.changeProbes.reader;
      return handle === o.db ? o.changeProbes?.db : undefined;
    },
    close: async () => {
      sync = undefined;
      await o.commitSync?.close();
      await o.close?.();
    },
  };
  bindHandles(backend);
  return backend;
}

/**
 * Shares runs of `sync` among callers: a call resolves after a run that started after the call
 * (a run already under way may have started before the caller's commit, so the caller waits for
 * the next one, which everybody who arrives meanwhile shares).
 */
export function coalesce(sync: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    if (!running) {
      running = sync().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running.catch(() => undefined).then(() => {
      queued = undefined;
      return flush();
    });
    return queued;
  };
  return flush;
}

// ---------------------------------------------------------------------------------------------
// The older code written against a handle (write(db, …), durable(db), changeGate(db)): each
// handle finds the backend made for it. Only that code uses this map; whatever is handed the
// backend (intake, the de-duplication index) uses the backend itself. It goes when the last
// caller takes the backend.

const handles = new WeakMap<Kysely<DB>, Backend>();

/** The backend's handles (db and reader) lead to it from code that has only a handle. */
export function bindHandles(backend: Backend): void {
  handles.set(backend.db, backend);
  handles.set(backend.reader, backend);
}

/** The backend made for `db` (a plain one for a handle no runtime made: tests, tools). */
export function backendOf(db: Kysely<DB>): Backend {
  return handles.get(db) ?? sqlBackend({ db, dialect: flavourOf(db) });
}

const NO_INTERACTIVE = 'D1 没有交互式事务：这项写入尚未改为写入计划（plan-then-commit），在 Workers 上不可用';

/** The interactive write through `db`'s backend (see WriteQueue.push). */
export function write<T>(db: Kysely<DB>, work: (tx: Tx, rec: Recorder) => Promise<T>): Promise<T> {
  const backend = backendOf(db);
  return backend.write ? backend.write(work) : Promise.reject(new Error(NO_INTERACTIVE));
}

/** Commits a plan through `db`'s backend. */
export function commitPlan(db: Kysely<DB>, plan: Plan, onCommitted?: (c: Committed) => void): Promise<Committed> {
  return backendOf(db).commit(plan, onCommitted);
}

/** Writes through `db` key the chain with XIANSUO_AUDIT_KEY (set once, at start). */
export function useAuditKey(db: Kysely<DB>, key: AuditKey | undefined): void {
  backendOf(db).useAuditKey(key);
}

/** Resolves once everything `db`'s backend committed before the call is on disk. */
export function durable(db: Kysely<DB>): Promise<void> {
  return handles.get(db)?.durable() ?? Promise.resolve();
}

/** A change gate over `db` (one per follower): see src/domain/dedupe/changeGate.ts. */
export function changeGate(db: Kysely<DB>): ChangeGate {
  return new ChangeGate(handles.get(db)?.changeProbe(db));
}

// ---------------------------------------------------------------------------------------------
// A plan as statements

export type SqlFlavour = 'sqlite' | 'postgres';

export function flavourOf(db: Kysely<DB>): SqlFlavour {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Next value of a named counter, inside the caller's transaction. */
export async function nextCounter(tx: Tx, name: string): Promise<number> {
  const [row] = (await takeNext(tx, name)).rows;
  if (!row) throw new Error(`counter ${name} gave no value`);
  return Number(row.last);
}

const takeNext = reusable(1, (tx: Tx, name: string) => tx.insertInto('counters').values({ name, last: 1 })
  .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ last: eb('counters.last', '+', 1) })))
  .returning('last'));


export interface Statement {
  sql: string;
  parameters: Scalar[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function id(name: string): string {
  // Table and column names come from code, never from input; refuse anything else outright.
  if (!IDENT.test(name)) throw new Error(`plan: not a plain SQL name: ${name}`);
  return `"${name}"`;
}

class Builder {
  parameters: Scalar[] = [];
  constructor(private readonly flavour: SqlFlavour) {}
  param(v: Scalar): string {
    this.parameters.push(v);
    return this.flavour === 'postgres' ? `$${this.parameters.length}` : '?';
  }
  where(w: Where): string {
    const parts = Object.entries(w).map(([col, v]) => {
      if (v === null) return `${id(col)} is null`;
      if (typeof v === 'object' && !(v instanceof Uint8Array)) {
        if (v.in.length === 0) return '1 = 0';
        return `${id(col)} in (${v.in.map((x) => this.param(x)).join(', ')})`;
      }
      return `${id(col)} = ${this.param(v)}`;
    });
    if (parts.length === 0) throw new Error('plan: a where without columns');
    return parts.join(' and ');
  }
}

function compileWrite(w: Write, flavour: SqlFlavour): Statement {
  const b = new Builder(flavour);
  let text: string;
  switch (w.kind) {
    case 'insert': {
      const cols = Object.keys(w.row);
      text = `insert into ${id(w.table)} (${cols.map(id).join(', ')}) values (${cols.map((c) => b.param(w.row[c]!)).join(', ')})`;
      if (w.onConflict) {
        const target = `(${w.onConflict.columns.map(id).join(', ')})`;
        const update = w.onConflict.update ?? [];
        text += update.length === 0
          ? ` on conflict ${target} do nothing`
          : ` on conflict ${target} do update set ${update.map((c) => `${id(c)} = excluded.${id(c)}`).join(', ')}`;
      }
      break;
    }
    case 'update': {
      const sets = Object.entries(w.set).map(([col, v]: [string, SetValue]) =>
        (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) ? `${id(col)} = ${id(col)} + ${b.param(v.add)}` : `${id(col)} = ${b.param(v)}`));
      text = `update ${id(w.table)} set ${sets.join(', ')} where ${b.where(w.where)}`;
      break;
    }
    case 'delete':
      text = `delete from ${id(w.table)} where ${b.where(w.where)}`;
      break;
  }
  return { sql: text, parameters: b.parameters };
}

function compileGuard(g: Guard, flavour: SqlFlavour): Statement {
  const b = new Builder(flavour);
  const test = g.kind === 'exists' ? 'not exists' : 'exists';
  return {
    sql: `insert into "plan_guard" ("ok") select 0 where ${test} (select 1 from ${id(g.table)} where ${b.where(g.where)})`,
    parameters: b.parameters,
  };
}

/**
 * The statements of a plan whose placeholders are filled in, guards first. The statements at
 * `guardAt` positions are guards: when one fails, `guards[i]` names why (see conflictOf).
 */
export function compilePlan(plan: Plan, flavour: SqlFlavour): Statement[] {
  const out = [...plan.guards.map((g) => compileGuard(g, flavour)), ...plan.writes.map((w) => compileWrite(w, flavour))];
  for (const s of out) {
    for (const p of s.parameters) {
      if (typeof p === 'string' && hasPlaceholder(p)) throw new Error('plan: a placeholder was left unfilled');
    }
  }
  return out;
}

/** The plan with its counter numbers put in place. */
export function fillPlan(plan: Plan, ids: Committed['ids']): Plan {
  return {
    guards: fillIn(plan.guards, ids), writes: fillIn(plan.writes, ids), events: fillIn(plan.events, ids), counters: [],
  };
}

/** Whether a failed statement means "somebody else wrote first": a guard, or a unique key taken. */
export function isConflict(err: unknown): boolean {
  const text = String((err as { message?: unknown })?.message ?? err);
  const code = (err as { code?: unknown })?.code;
  return text.includes('plan_guard') || code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE'
    || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(text);
}

/**
 * Runs a plan inside the caller's transaction (SQLite, PostgreSQL): takes its counters, fills
 * them in, runs its statements. Answers the filled-in events (for the chain) and the ids. A
 * failed guard or a taken unique key is a PlanConflict; the caller rolls back.
 */
export async function runPlan(tx: Tx, plan: Plan, flavour: SqlFlavour): Promise<{ ids: Committed['ids']; events: Plan['events'] }> {
  const ids: Record<string, Scalar> = {};
  for (const c of plan.counters) ids[c.placeholder] = formatCounter(c, await nextCounter(tx, c.counter));
  const filled = fillPlan(plan, ids);
  const statements = compilePlan(filled, flavour);
  const guards = filled.guards.length;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    try {
      await tx.executeQuery(CompiledQuery.raw(s.sql, s.parameters));
    } catch (err) {
      if (i < guards && isConflict(err)) throw new PlanConflict(filled.guards[i]!.reason);
      if (isConflict(err)) throw new PlanConflict(String((err as Error).message ?? err));
      throw err;
    }
  }
  return { ids, events: filled.events };
}

/** Runs writes inside the caller's transaction (the interactive code not yet converted to plans). */
export async function runWrites(tx: Tx, writes: readonly Write[]): Promise<void> {
  const flavour = flavourOf(tx);
  for (const w of writes) {
    const s = compileWrite(w, flavour);
    await tx.executeQuery(CompiledQuery.raw(s.sql, s.parameters));
  }
}

// ---------------------------------------------------------------------------------------------
// The write queue: group commit, the audit chain, callbacks, durability

type Work<T> = (tx: Tx, rec: Recorder) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** How many writes share one transaction at most. */
const MAX_GROUP = 64;

export class WriteQueue {
  private queue: Pending[] = [];
  private running = false;
  /** XIANSUO_AUDIT_KEY: the chain is keyed from the first write that has it. */
  key: AuditKey | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    readonly flavour: SqlFlavour = flavourOf(db),
    /** Resolves once everything committed before the call is on disk (the backend's commit sync). */
    private readonly durable: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /**
   * Commits a plan in the next group: its counters, guards and writes inside a
   * savepoint of the group's transaction, its events chained with the group's. `onCommitted`
   * runs once the transaction is committed, before it is on disk (in-memory followers).
   */
  commitPlan(plan: Plan, onCommitted?: (c: Committed) => void): Promise<Committed> {
    return this.push(async (tx, rec) => {
      const { ids, events } = await runPlan(tx, plan, this.flavour);
      rec.record(...events);
      const done: Committed = { ids };
      if (onCommitted) rec.afterCommit(() => onCommitted(done));
      return done;
    });
  }

  push<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // Let the writes of this turn of the event loop join the group.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      await this.commit(group);
    }
    this.running = false;
  }

  private async commit(group: Pending[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const committed: (() => void)[] = [];
    try {
      await this.db.transaction().execute(async (tx) => {
        // Updating the head first serialises writers (and instances) before anything is read.
        await tx.updateTable('audit_head').set((eb) => ({ touched_at: eb.ref('touched_at') })).where('id', '=', 1).execute();
        const head = await tx.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from', 'key_id']).where('id', '=', 1).executeTakeFirstOrThrow();
        const keyed = keyedPart(head, this.key);
        const events: EventDraft[] = [];
        const single = group.length === 1;
        for (const item of group) {
          const mine: EventDraft[] = [];
          const after: (() => void)[] = [];
          const rec: Recorder = { record: (...e) => mine.push(...e), afterCommit: (fn) => after.push(fn) };
          if (single) {
            // Alone in its transaction: a failure rolls the whole transaction back.
            outcomes.push({ ok: true, value: await item.work(tx, rec) });
            events.push(...mine);
            committed.push(...after);
            continue;
          }
          await sql`savepoint w`.execute(tx);
          try {
            const value = await item.work(tx, rec);
            await sql`release savepoint w`.execute(tx);
            outcomes.push({ ok: true, value });
            events.push(...mine);
            committed.push(...after);
          } catch (error) {
            await sql`rollback to savepoint w`.execute(tx);
            await sql`release savepoint w`.execute(tx);
            outcomes.push({ ok: false, error });
          }
        }
        if (keyed?.fresh) {
          const m = keyMarker(keyed.key, keyed.from);
          await tx.updateTable('audit_head').set({ keyed_from: m.keyedFrom, key_id: m.keyId, key_mac: m.mac }).where('id', '=', 1).execute();
        }
        if (events.length > 0) {
          await withStates(tx, events);
          const chained = chain({ seq: Number(head.seq), hash: head.hash }, events, keyed);
          for (let i = 0; i < chained.length; i += 200) {
            await tx.insertInto('events').values(chained.slice(i, i + 200).map((e) => ({
              seq: e.seq, lead_id: e.leadId, report_id: e.reportId, actor: e.actor, action: e.action,
              at: e.at, data: e.data, state: e.state, prev_hash: e.prevHash, hash: e.hash,
            }))).execute();
          }
          const last = chained[chained.length - 1]!;
          await tx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash, touched_at: last.at }).where('id', '=', 1).execute();
        }
        // Callbacks to the sources (API.md §7), queued in the same commit as the events that cause them.
        if (events.length > 0) await queueCallbacks(tx, events, Number(head.seq));
      });
    } catch (error) {
      // The commit itself failed (or the only write did): nothing of the group is stored.
      for (const item of group) item.reject(error);
      return;
    }
    // In-memory state follows the database at once: the next group reads both.
    for (const fn of committed) {
      try {
        fn();
      } catch {
        // an after-commit step never undoes or fails the commit
      }
    }
    // The callers hear once the commit is on disk; the next group need not wait for that.
    this.durable().then(
      () => group.forEach((item, i) => {
        const o = outcomes[i]!;
        if (o.ok) item.resolve(o.value);
        else item.reject(o.error);
      }),
      // Committed but not known to be on disk: nobody is told it succeeded. A sender that retries
      // finds its delivery stored and gets the same answer (API.md §2).
      (error: unknown) => group.forEach((item) => item.reject(error)),
    );
  }
}

/**
 * The keyed part of the chain for this transaction: from the stored start, or (`fresh`) from the
 * next entry when this is the first write with the key. A key that is not the chain's, or no key
 * for a keyed chain, refuses the write: appending would break the record.
 */
function keyedPart(
  head: { seq: number; keyed_from: number | null; key_id: string | null }, key: AuditKey | undefined,
): { key: AuditKey; from: number; fresh: boolean } | undefined {
  const from = head.keyed_from === null ? null : Number(head.keyed_from);
  if (from === null) return key ? { key, from: Number(head.seq) + 1, fresh: true } : undefined;
  if (!key) throw new Error(`全过程记录自第 ${from} 条起以密钥签名，但未设置 XIANSUO_AUDIT_KEY，不能写入`);
  if (head.key_id !== key.id) throw new Error(`XIANSUO_AUDIT_KEY 与全过程记录所用的密钥（编号 ${head.key_id}）不符，不能写入`);
  return { key, from, fresh: false };
}

/** Gives the last event of each lead named in the write that lead's state after the write (two indexed reads per transaction). */
async function withStates(tx: Tx, events: EventDraft[]): Promise<void> {
  const last = new Map<string, number>();
  events.forEach((e, i) => { if (e.leadId) last.set(e.leadId, i); });
  if (last.size === 0) return;
  const states = await readStates(tx, [...last.keys()]);
  for (const [id, i] of last) {
    const s = states.get(id);
    if (s) events[i] = { ...events[i]!, state: stateText(s) };
  }
}

// ---------------------------------------------------------------------------------------------
// The recorded state of leads (src/domain/auditState.ts), read from their rows: by the write that
// stores it with its events, and by `audit verify` that compares it.

const CHUNK = 500;

export async function readStates(db: Kysely<DB>, leadIds: readonly string[]): Promise<Map<string, RecordedState>> {
  const out = new Map<string, RecordedState>();
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    const ids = leadIds.slice(i, i + CHUNK);
    const leads = await db.selectFrom('leads').select(['id', 'status', 'routing_agency']).where('id', 'in', ids).execute();
    const rows = await db.selectFrom('assignments').select(['id', 'lead_id', 'agency', 'status', 'ack_due_at', 'due_at'])
      .where('lead_id', 'in', ids).execute();
    const byLead = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byLead.get(r.lead_id) ?? [];
      list.push(r);
      byLead.set(r.lead_id, list);
    }
    for (const l of leads) out.set(l.id, recordedState(l, byLead.get(l.id) ?? []));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Callbacks to the sources (API.md §7): queued in the same transaction as the events that cause
// them; claimed and sent by src/app/deliverCallbacks.ts through src/db/stores/callbacks.ts.

/** A row as a table holds it (column name to value). */
export type Row = Record<string, unknown>;

/**
 * The one read the callbacks need: the rows of `table` matching `where` (equality and `in`; an
 * empty where is every row), as they stand after the commit's writes. Inside the transaction on
 * SQLite and PostgreSQL (sqlRows); on D1 the rows read before the batch with the plan's own
 * writes applied (src/db/d1/backend.ts).
 */
export type RowsOf = (table: string, where: Where) => Promise<Row[]>;

/** A select of every column of `table` matching `where` (empty: all rows). */
export function compileSelect(table: string, where: Where, flavour: SqlFlavour): Statement {
  const b = new Builder(flavour);
  const text = `select * from ${id(table)}${Object.keys(where).length > 0 ? ` where ${b.where(where)}` : ''}`;
  return { sql: text, parameters: b.parameters };
}

/** RowsOf inside the caller's transaction. */
export function sqlRows(tx: Tx): RowsOf {
  const flavour = flavourOf(tx);
  return async (table, where) => {
    const s = compileSelect(table, where, flavour);
    return (await tx.executeQuery<Row>(CompiledQuery.raw(s.sql, s.parameters))).rows;
  };
}

/** Queues the callbacks that the events of one commit cause, inside the caller's transaction (see callbackWrites). */
export async function queueCallbacks(tx: Tx, events: readonly EventDraft[], headSeq: number): Promise<void> {
  await runWrites(tx, await callbackWrites(sqlRows(tx), events, headSeq));
}

/**
 * The inserts of the callbacks that the events of one commit cause, from the rows as they stand
 * after the commit's writes (`rows`). `events` are the commit's events in order; the first is
 * chained at `headSeq + 1`, which orders each report's callbacks. The decision is the domain's
 * (planCallbacks); this only gathers its facts.
 */
export async function callbackWrites(rows: RowsOf, events: readonly EventDraft[], headSeq: number): Promise<Write[]> {
  const recorded: RecordedEvent[] = events.map((e, i) => ({
    seq: headSeq + i + 1, action: e.action, leadId: e.leadId, reportId: e.reportId ?? null, at: e.at, data: e.data,
  }));
  const triggered = recorded.filter((e) => callbackTrigger(e) !== null);
  if (triggered.length === 0) return [];
  const enabled = new Set((await rows('source_callbacks', {})).map((r) => String(r.source)));
  if (enabled.size === 0) return [];

  const facts = new Map<RecordedEvent, LeadFacts>();
  const reportsCache = new Map<string, CallbackReport[]>();
  for (const e of triggered) {
    const t = callbackTrigger(e)!;
    const cacheKey = t.onlyReport ? `report:${t.onlyReport}` : t.reportsOf;
    let reports = reportsCache.get(cacheKey);
    if (!reports) {
      const found = t.onlyReport
        ? await rows('reports', { id: t.onlyReport })
        : await rows('reports', { lead_id: { in: await familyOf(rows, t.reportsOf) } });
      reports = found
        .sort((a, b) => compareText(a.received_at, b.received_at) || compareText(a.id, b.id))
        .map((r) => ({
          id: String(r.id), source: String(r.source), externalId: String(r.external_id),
          reporterName: r.reporter_name === null || r.reporter_name === undefined ? null : String(r.reporter_name),
        }));
      reportsCache.set(cacheKey, reports);
    }
    if (!reports.some((r) => enabled.has(r.source))) continue;
    const [lead] = await rows('leads', { id: t.statusOf });
    if (!lead) continue;
    const f: LeadFacts = { leadId: t.statusOf, status: String(lead.status) as LeadFacts['status'], reports };
    if (e.action === 'lead.review.approved' && typeof e.data.assignmentId === 'string') {
      const [a] = await rows('assignments', { id: e.data.assignmentId });
      const detail = typeof a?.detail === 'string' && a.detail ? JSON.parse(a.detail) as { feedback?: { summary?: string } } : {};
      f.summary = detail.feedback?.summary ?? null;
    }
    if (e.action === 'lead.assigned' && typeof e.data.agency === 'string') {
      const [ag] = await rows('agencies', { code: e.data.agency });
      f.agencyName = ag ? String(ag.name) : undefined;
    }
    facts.set(e, f);
  }
  return planCallbacks(triggered, (e) => facts.get(e), enabled).map((p): Write => {
    const at = p.body.timestamp;
    return {
      kind: 'insert', table: 'callbacks', onConflict: { columns: ['key'] },
      row: {
        id: `msg_${crypto.randomUUID().replaceAll('-', '')}`, key: p.key, seq: p.seq, source: p.source,
        report_id: p.reportId, lead_id: p.leadId, type: p.type, body: JSON.stringify(p.body), status: 'pending',
        attempts: 0, next_attempt_at: at, first_attempt_at: null, last_error: null, last_error_at: null,
        claim: null, claimed_until: null, created_at: at, sent_at: null,
      },
    };
  });
}

/** Text order as SQLite and PostgreSQL (C collation) compare ISO times and ids. */
function compareText(a: unknown, b: unknown): number {
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A lead and every lead merged into it, however long the chain (as src/db/stores/leads.ts familyIds). */
async function familyOf(rows: RowsOf, id: string): Promise<string[]> {
  const family = [id];
  const seen = new Set(family);
  for (let frontier = [id]; frontier.length > 0;) {
    const next: string[] = [];
    for (const r of await rows('leads', { merged_into: { in: frontier }, status: 'merged' })) {
      const child = String(r.id);
      if (!seen.has(child)) {
        seen.add(child);
        next.push(child);
        family.push(child);
      }
    }
    frontier = next;
  }
  return family;
}
