// A rehearsal of writes (`xiansuo sweep --dry-run`): one transaction that is always rolled back,
// seen by the work as a database handle and a plan committer. The committer runs each plan as the
// real one does (counters, guards, writes, chained events), in a savepoint of that transaction, so
// the work decides exactly what a real pass would, and nothing is kept.
import { sql, type Kysely } from 'kysely';
import type { PlanCommitter } from '../domain/plan.ts';
import { flavourOf } from './commit.ts';
import type { DB } from './schema/index.ts';
import type { Tx } from './tx.ts';
import { WriteQueue } from './commit.ts';

class RolledBack extends Error {}

/** `tx` seen as a database whose transactions are the one transaction already open. */
function insideOf(tx: Tx): Kysely<DB> {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'transaction') return () => ({ execute: <T>(fn: (t: Tx) => Promise<T>) => fn(target) });
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Kysely<DB>;
}

export async function rehearse<T>(db: Kysely<DB>, work: (inside: { db: Kysely<DB>; store: PlanCommitter }) => Promise<T>): Promise<T> {
  let out: { value: T } | undefined;
  try {
    await db.transaction().execute(async (tx) => {
      const inside = insideOf(tx);
      const queue = new WriteQueue(inside, flavourOf(db));
      const store: PlanCommitter = {
        async commit(plan, onCommitted) {
          await sql`savepoint rehearsal`.execute(tx);
          try {
            const c = await queue.commitPlan(plan, onCommitted);
            await sql`release savepoint rehearsal`.execute(tx);
            return c;
          } catch (err) {
            await sql`rollback to savepoint rehearsal`.execute(tx);
            await sql`release savepoint rehearsal`.execute(tx);
            throw err;
          }
        },
      };
      out = { value: await work({ db: inside, store }) };
      throw new RolledBack();
    });
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
  }
  return out!.value;
}
