// The outbox as operators see it: what is waiting (pending) or given up (dead), with the last
// error, and a retry of one message. Delivery itself is in outbox.ts and src/app/deliverOutbox.ts.
import type { Kysely } from 'kysely';
import type { DB } from '../schema/index.ts';
import type { Plan, Where } from '../../domain/plan.ts';
import type { OutboxEntry, OutboxQuery, OutboxStatus } from '../../domain/outboxQueue.ts';
import type { OutboxMessage } from './outbox.ts';

export { OUTBOX_STATUSES, type OutboxEntry, type OutboxQuery, type OutboxStatus } from '../../domain/outboxQueue.ts';

type Row = DB['outbox'];

function entry(r: { [K in keyof Row]: Row[K] }): OutboxEntry {
  return {
    id: r.id, key: r.key, status: r.status as OutboxStatus, channel: r.channel as 'mail' | 'robot', leadId: r.lead_id,
    agency: r.agency, message: JSON.parse(r.message) as OutboxMessage, attempts: Number(r.attempts), createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at, firstAttemptAt: r.first_attempt_at, sentAt: r.sent_at, lastError: r.last_error,
  };
}

/** Oldest first; `limit + 1` rows are read so the caller knows whether another page follows. */
export async function listOutbox(db: Kysely<DB>, q: OutboxQuery): Promise<{ items: OutboxEntry[]; more: boolean }> {
  let query = db.selectFrom('outbox').selectAll().where('status', 'in', q.statuses);
  if (q.after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(q.after!.createdAt, q.after!.id)));
  const rows = await query.orderBy('created_at').orderBy('id').limit(q.limit + 1).execute();
  return { items: rows.slice(0, q.limit).map(entry), more: rows.length > q.limit };
}

export async function countOutbox(db: Kysely<DB>): Promise<Record<OutboxStatus, number>> {
  const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const out: Record<OutboxStatus, number> = { pending: 0, dead: 0, sent: 0 };
  for (const r of rows) if (r.status in out) out[r.status as OutboxStatus] = Number(r.n);
  return out;
}

export async function findOutbox(db: Kysely<DB>, id: string): Promise<OutboxEntry | undefined> {
  const r = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? entry(r) : undefined;
}

/**
 * Makes a pending or dead message due again at `at`, with a fresh 72-hour retry window (its
 * attempts stay counted). Guarded by the status read (`was`): changed meanwhile, PlanConflict.
 */
export function requeuePlan(id: string, was: 'pending' | 'dead', at: string): Plan {
  const where: Where = { id, status: was };
  return {
    guards: [{ kind: 'exists', table: 'outbox', where, reason: `消息 ${id} 的状态已变化` }],
    writes: [{ kind: 'update', table: 'outbox', where, set: { status: 'pending', next_attempt_at: at, first_attempt_at: null, claim: null, claimed_until: null } }],
    events: [], counters: [],
  };
}
