// Every write goes through here: one transaction that first takes the chain head (a write
// lock on SQLite, a row lock on PostgreSQL), then does its work, then appends its events
// to the hash-chained full-process record and moves the head.
//
// Group commit: writes that arrive while a transaction is being committed wait and then share
// the next transaction, each inside a savepoint of its own (a failing one is rolled back alone).
// Every caller still learns its outcome only after the commit that holds its work is on disk
// (durability.ts), so a 2xx is never sent for something that could be lost; the fixed cost of a
// commit is paid once per group. While one group's commit is being synced, the next group runs.
import { sql, type Kysely } from 'kysely';
import type { Recorder, Tx } from './tx.ts';
import { chain, keyMarker, type AuditKey, type EventDraft } from '../domain/audit.ts';
import { stateText } from '../domain/auditState.ts';
import { readStates } from './auditState.ts';
import { durable } from './durability.ts';
import { queueCallbacks } from './stores/callbacks.ts';
import { flavourOf, nextCounter, runPlan, type SqlFlavour } from './commit.ts';
import type { Committed, Plan } from '../domain/plan.ts';
import type { DB } from './schema/index.ts';

export type { Recorder, Tx } from './tx.ts';

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

  constructor(private readonly db: Kysely<DB>, readonly flavour: SqlFlavour = flavourOf(db)) {}

  /**
   * Commits a plan (src/db/commit.ts) in the next group: its counters, guards and writes inside a
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
    durable(this.db).then(
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


const queues = new WeakMap<Kysely<DB>, WriteQueue>();

/** The backend's queue (backend.ts) is the one `write(db, …)` uses for its handle. */
export function bindQueue(db: Kysely<DB>, queue: WriteQueue): void {
  queues.set(db, queue);
}

export function queueOf(db: Kysely<DB>): WriteQueue {
  let q = queues.get(db);
  if (!q) queues.set(db, (q = new WriteQueue(db)));
  return q;
}

/** Commits a plan through `db`'s write queue (see WriteQueue.commitPlan). */
export function commitPlan(db: Kysely<DB>, plan: Plan, onCommitted?: (c: Committed) => void): Promise<Committed> {
  return queueOf(db).commitPlan(plan, onCommitted);
}

export function write<T>(db: Kysely<DB>, work: Work<T>): Promise<T> {
  return queueOf(db).push(work);
}

/** Writes through `db` key the chain with XIANSUO_AUDIT_KEY (runtime/services.ts sets it once, at start). */
export function useAuditKey(db: Kysely<DB>, key: AuditKey | undefined): void {
  queueOf(db).key = key;
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

export { nextCounter };
