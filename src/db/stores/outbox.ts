// The outbox: messages written in the same commit as the decision to send them, then delivered
// by claim (a conditional update, so several instances never take the same message at once).
import type { Kysely } from 'kysely';
import { durable } from '../commit.ts';
import type { DB } from '../schema/index.ts';
import type { Tx } from '../tx.ts';

/** `template` is a template name and its input (src/jobs/messages.ts); rendered at delivery. */
export type OutboxMessage =
  | { kind: 'mail'; to: string[]; cc: string[]; template: { name: string; input: unknown } }
  | { kind: 'robot'; robot: { kind: 'wecom' | 'dingtalk' | 'feishu'; url: string; secret?: string }; template: { name: string; input: unknown } };

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

/** Adds a message unless one with the same key exists; true when added. */
export async function enqueue(
  tx: Tx, m: { key: string; leadId: string | null; agency: string | null; message: OutboxMessage; at: string },
): Promise<boolean> {
  const inserted = await tx.insertInto('outbox').values({
    id: `ob_${crypto.randomUUID()}`, key: m.key, channel: m.message.kind, lead_id: m.leadId, agency: m.agency,
    message: JSON.stringify(m.message), status: 'pending', attempts: 0, next_attempt_at: m.at,
    first_attempt_at: null, last_error: null, claim: null, claimed_until: null, created_at: m.at, sent_at: null,
  }).onConflict((oc) => oc.column('key').doNothing()).returning('id').executeTakeFirst();
  return Boolean(inserted);
}

/** Claims up to `limit` messages that are due; each is ours alone until `leaseMs` has passed. */
export async function claimDue(db: Kysely<DB>, now: string, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const candidates = await db.selectFrom('outbox').selectAll().where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('next_attempt_at').limit(limit).execute();
  const claim = crypto.randomUUID();
  const until = new Date(new Date(now).getTime() + leaseMs).toISOString();
  const out: OutboxRow[] = [];
  for (const c of candidates) {
    const r = await db.updateTable('outbox').set({ claim, claimed_until: until })
      .where('id', '=', c.id).where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue; // another instance took it
    out.push({
      id: c.id, key: c.key, leadId: c.lead_id, agency: c.agency, message: JSON.parse(c.message) as OutboxMessage,
      attempts: Number(c.attempts), firstAttemptAt: c.first_attempt_at, claim,
    });
  }
  return out;
}

export async function markSent(db: Kysely<DB>, row: OutboxRow, at: string): Promise<void> {
  await db.updateTable('outbox').set({
    status: 'sent', sent_at: at, attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at,
    claim: null, claimed_until: null,
  }).where('id', '=', row.id).where('claim', '=', row.claim).execute();
  // On disk before the next message goes: a power cut must not make a sent message look unsent.
  await durable(db);
}

export async function markRetry(db: Kysely<DB>, row: OutboxRow, at: string, nextAt: string, error: string): Promise<void> {
  await db.updateTable('outbox').set({
    attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at, next_attempt_at: nextAt,
    last_error: error.slice(0, 1000), claim: null, claimed_until: null,
  }).where('id', '=', row.id).where('claim', '=', row.claim).execute();
}

export async function markDead(tx: Tx, row: OutboxRow, at: string, error: string): Promise<boolean> {
  const r = await tx.updateTable('outbox').set({
    status: 'dead', attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at,
    last_error: error.slice(0, 1000), claim: null, claimed_until: null,
  }).where('id', '=', row.id).where('claim', '=', row.claim).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
