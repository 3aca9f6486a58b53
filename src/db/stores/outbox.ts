// The outbox: messages written in the same commit as the decision to send them, then delivered
// by claim. Every change of a message is a plan (src/domain/plan.ts) committed in one step: a
// claim is guarded by the claim it read, so of several instances (or isolates on D1) that read
// the same message, exactly one takes it; the others' plans fail their guard and read again.
import type { Kysely } from 'kysely';
import type { Plan, Where } from '../../domain/plan.ts';
import type { DB } from '../schema/index.ts';

import type { OutboxMessage } from '../../domain/outboxQueue.ts';

/** `template` is a template name and its input (src/app/outboxMessages.ts); rendered at delivery. */
export type { OutboxMessage } from '../../domain/outboxQueue.ts';

export interface OutboxRow {
  id: string;
  key: string;
  leadId: string | null;
  agency: string | null;
  message: OutboxMessage;
  attempts: number;
  firstAttemptAt: string | null;
  claim: string;
}

/** A pending message as read before it is claimed: the claim it has now (none, or a lapsed one). */
export interface Claimable {
  id: string;
  key: string;
  lead_id: string | null;
  agency: string | null;
  message: string;
  attempts: number | string;
  first_attempt_at: string | null;
  claim: string | null;
  claimed_until: string | null;
}

/** Up to `limit` messages that are due at `now` and held by no live claim, the oldest due first. */
export async function claimableMessages(db: Kysely<DB>, now: string, limit: number): Promise<Claimable[]> {
  return db.selectFrom('outbox')
    .select(['id', 'key', 'lead_id', 'agency', 'message', 'attempts', 'first_attempt_at', 'claim', 'claimed_until'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('next_attempt_at').limit(limit).execute();
}

/** The message `id` if it is pending and held by no live claim at `now`. */
export async function claimableMessage(db: Kysely<DB>, id: string, now: string): Promise<Claimable | undefined> {
  const c = await db.selectFrom('outbox')
    .select(['id', 'key', 'lead_id', 'agency', 'message', 'attempts', 'first_attempt_at', 'claim', 'claimed_until', 'status'])
    .where('id', '=', id).executeTakeFirst();
  if (!c || c.status !== 'pending' || (c.claimed_until !== null && c.claimed_until >= now)) return undefined;
  return c;
}

/**
 * Claims the messages read: each is ours alone until `until`. Guarded by the claim each had when
 * read: a message claimed by somebody else meanwhile fails the plan (PlanConflict: read again).
 */
export function claimPlan(rows: readonly Claimable[], claim: string, until: string): Plan {
  const plan: Plan = { guards: [], writes: [], events: [], counters: [] };
  for (const r of rows) {
    const where: Where = { id: r.id, status: 'pending', claim: r.claim, claimed_until: r.claimed_until };
    plan.guards.push({ kind: 'exists', table: 'outbox', where, reason: `消息 ${r.id} 已被另一投递进程领取` });
    plan.writes.push({ kind: 'update', table: 'outbox', set: { claim, claimed_until: until }, where });
  }
  return plan;
}

/** The claimed message as delivery sees it. */
export function claimed(r: Claimable, claim: string): OutboxRow {
  return {
    id: r.id, key: r.key, leadId: r.lead_id, agency: r.agency, message: JSON.parse(r.message) as OutboxMessage,
    attempts: Number(r.attempts), firstAttemptAt: r.first_attempt_at, claim,
  };
}

/** Sent: only while the claim is still ours (a lapsed claim taken over changes nothing). */
export function sentPlan(row: OutboxRow, at: string): Plan {
  return {
    guards: [], events: [], counters: [],
    writes: [{
      kind: 'update', table: 'outbox', where: { id: row.id, claim: row.claim },
      set: { status: 'sent', sent_at: at, attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at, claim: null, claimed_until: null },
    }],
  };
}

export function retryPlan(row: OutboxRow, at: string, nextAt: string, error: string): Plan {
  return {
    guards: [], events: [], counters: [],
    writes: [{
      kind: 'update', table: 'outbox', where: { id: row.id, claim: row.claim },
      set: { attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at, next_attempt_at: nextAt, last_error: error.slice(0, 1000), claim: null, claimed_until: null },
    }],
  };
}

/** Dead: guarded by our claim (PlanConflict when another holds the message now). */
export function deadPlan(row: OutboxRow, at: string, error: string): Plan {
  const where: Where = { id: row.id, claim: row.claim };
  return {
    guards: [{ kind: 'exists', table: 'outbox', where, reason: `消息 ${row.id} 已不由本投递进程持有` }],
    events: [], counters: [],
    writes: [{
      kind: 'update', table: 'outbox', where,
      set: { status: 'dead', attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at, last_error: error.slice(0, 1000), claim: null, claimed_until: null },
    }],
  };
}
