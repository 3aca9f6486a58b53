// Every write goes through here: one transaction that first takes the chain head (a write
// lock on SQLite, a row lock on PostgreSQL), then does its work, then appends its events
// to the hash-chained full-process record and moves the head.
//
// Group commit: writes that arrive while a transaction is being committed wait and then share
// the next transaction, each inside a savepoint of its own (a failing one is rolled back alone).
// Every caller still learns its outcome only after the commit that holds its work is on disk
// (durability.ts), so a 2xx is never sent for something that could be lost; the fixed cost of a
// commit is paid once per group. While one group's commit is being synced, the next group runs.
import { sql, type Kysely, type Transaction } from 'kysely';
import { chain, type EventDraft } from '../domain/audit.ts';
import { durable } from './durability.ts';
import { queueCallbacks } from './stores/callbacks.ts';
import { reusable } from './reusable.ts';
import type { DB } from './schema/index.ts';

export type Tx = Transaction<DB>;

export interface Recorder {
  record(...events: EventDraft[]): void;
  /** Runs once the work is committed (never when it is rolled back): caches, wake-ups. */
  afterCommit(fn: () => void): void;
}

type Work<T> = (tx: Tx, rec: Recorder) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** How many writes share one transaction at most. */
const MAX_GROUP = 64;

class WriteQueue {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly db: Kysely<DB>) {}

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
        const head = await tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
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
        if (events.length > 0) {
          const chained = chain({ seq: Number(head.seq), hash: head.hash }, events);
          for (let i = 0; i < chained.length; i += 200) {
            await tx.insertInto('events').values(chained.slice(i, i + 200).map((e) => ({
              seq: e.seq, lead_id: e.leadId, report_id: e.reportId, actor: e.actor, action: e.action,
              at: e.at, data: e.data, prev_hash: e.prevHash, hash: e.hash,
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

export function write<T>(db: Kysely<DB>, work: Work<T>): Promise<T> {
  let q = queues.get(db);
  if (!q) queues.set(db, (q = new WriteQueue(db)));
  return q.push(work);
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
