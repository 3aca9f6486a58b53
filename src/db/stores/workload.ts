// Open and overdue assignments, for /metrics.
import type { Kysely } from 'kysely';
import type { DB } from '../schema/index.ts';

export async function assignmentCounts(db: Kysely<DB>, now: string): Promise<{ open: number; overdue: number }> {
  const row = await db.selectFrom('assignments').where('status', 'in', ['assigned', 'acknowledged'])
    .select((eb) => [
      eb.fn.countAll<number>().as('open'),
      eb.fn.sum<number>(eb.case().when(eb.or([
        eb.and([eb('status', '=', 'assigned'), eb('ack_due_at', '<', now)]),
        eb('due_at', '<', now),
      ])).then(1).else(0).end()).as('overdue'),
    ]).executeTakeFirstOrThrow();
  return { open: Number(row.open), overdue: Number(row.overdue ?? 0) };
}
