// The outbox as operators see it: what is waiting (pending) or given up (dead), with the last
// error, and a retry of one message. Delivery itself is in outbox.ts and src/jobs/deliver.ts.
import type { Kysely } from 'kysely';
import type { DB } from '../schema/index.ts';
import type { Tx } from '../tx.ts';
import type { OutboxEntry, OutboxQuery, OutboxStatus } from '../../domain/outboxQueue.ts';
import type { OutboxMessage, OutboxRow } from './outbox.ts';

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
 * attempts stay counted). False when it was sent meanwhile or does not exist.
 */
export async function requeue(tx: Tx, id: string, at: string): Promise<boolean> {
  const r = await tx.updateTable('outbox').set({ status: 'pending', next_attempt_at: at, first_attempt_at: null, claim: null, claimed_until: null })
    .where('id', '=', id).where('status', 'in', ['pending', 'dead']).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Claims one pending message by id (as claimDue does for due ones); undefined when another holds it. */
export async function claimById(db: Kysely<DB>, id: string, now: string, leaseMs: number): Promise<OutboxRow | undefined> {
  const claim = crypto.randomUUID();
  const until = new Date(new Date(now).getTime() + leaseMs).toISOString();
  const r = await db.updateTable('outbox').set({ claim, claimed_until: until })
    .where('id', '=', id).where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  const c = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return {
    id: c.id, key: c.key, leadId: c.lead_id, agency: c.agency, message: JSON.parse(c.message) as OutboxMessage,
    attempts: Number(c.attempts), firstAttemptAt: c.first_attempt_at, claim,
  };
}
