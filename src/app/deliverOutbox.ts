// Delivers the outbox: e-mail through the mailer, briefs to group robots. Failures retry with
// exponential back-off and jitter for 72 hours; then the message is dead and the bureau is told.
// Every change of a message is a plan committed through the store (one transaction on SQLite and
// PostgreSQL, one batch on D1); a claim guarded by the claim it read is taken by one deliverer only.
import { isPermanentMailError, mailIdentityHeaders, planRetry, redactRobotUrl, RobotSendError, sendRobot } from '../notify/index.ts';
import { joinPlans, PlanConflict, planAndCommit } from '../domain/plan.ts';
import {
  claimableMessage, claimableMessages, claimed, claimPlan, deadPlan, retryPlan, sentPlan, type OutboxRow,
} from '../db/stores/outbox.ts';
import { requeuePlan } from '../db/stores/outboxQueue.ts';
import type { JobDeps } from './jobDeps.ts';
import { noticeRows, render, type Template } from './outboxMessages.ts';

export interface DeliverResult { sent: number; retried: number; dead: number }

const LEASE_MS = 5 * 60_000;

function rendered(deps: JobDeps, row: OutboxRow) {
  return render(row.message.template as Template, { publicUrl: deps.config.publicUrl, timeZone: deps.config.tz });
}

async function attempt(deps: JobDeps, row: OutboxRow, now: Date): Promise<void> {
  const m = row.message;
  const mail = rendered(deps, row);
  if (m.kind === 'mail') {
    await deps.mailer.send({
      to: m.to, cc: m.cc, subject: mail.subject, text: mail.text, html: mail.html, date: now,
      headers: mailIdentityHeaders(row.id, row.key, deps.config.mailFrom),
    });
  } else {
    await sendRobot(m.robot, mail.brief, fetch, { now: () => now.getTime() });
  }
}

function permanent(err: unknown): boolean {
  return err instanceof RobotSendError ? err.permanent : isPermanentMailError(err);
}

/** Where a message went, for the log (a robot's URL without its key). */
function recipients(row: OutboxRow): string[] {
  const m = row.message;
  return m.kind === 'mail' ? [...m.to, ...m.cc] : [redactRobotUrl(m.robot.url)];
}

/** Answers `fallback` when the plan kept losing to other writers (PlanConflict after its retries). */
async function unlessTaken<T>(work: Promise<T>, fallback: T): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof PlanConflict) return fallback;
    throw err;
  }
}

/** Claims up to `limit` due messages: each is ours alone until the lease ends. */
async function claimDue(deps: JobDeps, now: Date, limit: number): Promise<OutboxRow[]> {
  const at = now.toISOString();
  const claim = crypto.randomUUID();
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  return unlessTaken(planAndCommit<OutboxRow[]>(deps.store, async () => {
    const rows = await claimableMessages(deps.db, at, limit);
    if (rows.length === 0) return { done: [] };
    return { plan: claimPlan(rows, claim, until), answer: () => rows.map((r) => claimed(r, claim)) };
  }), []);
}

/** One attempt at one claimed message: sent, retried later, or dead (recorded, and the bureau told). */
async function deliverRow(deps: JobDeps, row: OutboxRow, now: Date, result: DeliverResult): Promise<void> {
  const at = now.toISOString();
  try {
    await attempt(deps, row, now);
  } catch (err) {
    const error = String((err as Error).message ?? err);
    const plan = planRetry({ attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? at, now: at, permanent: permanent(err) });
    deps.log.warn({
      msg: plan.action === 'retry' ? '消息发送失败，稍后重试' : '消息发送失败，已放弃（dead）',
      outbox: row.id, key: row.key, channel: row.message.kind === 'mail' ? 'email' : row.message.robot.kind, to: recipients(row),
      leadId: row.leadId, attempt: row.attempts + 1, error, ...(plan.action === 'retry' ? { nextAttemptAt: plan.at.toISOString() } : { reason: plan.reason }),
    });
    if (plan.action === 'retry') {
      await deps.store.commit(retryPlan(row, at, plan.at.toISOString(), error));
      result.retried++;
      return;
    }
    const dead = joinPlans(deadPlan(row, at, error), {
      guards: [], counters: [],
      events: [{ leadId: row.leadId, actor: 'system:outbox', action: 'message.dead', at, data: { outbox: row.id, key: row.key, reason: plan.reason, error } }],
      writes: row.key.startsWith('dead:') ? [] : await deadLetter(deps, row, at, error, plan.reason), // never a notice about a notice
    });
    // Not ours any more (our lease lapsed and another deliverer took it): it decides.
    if (await unlessTaken(deps.store.commit(dead).then(() => true), false)) result.dead++;
    return;
  }
  // On disk before the next message goes (commit answers once durable): a power cut must not make
  // a sent message look unsent.
  await deps.store.commit(sentPlan(row, at));
  result.sent++;
}

function deadLetter(deps: JobDeps, row: OutboxRow, at: string, error: string, reason: 'expired' | 'permanent') {
  const m = row.message;
  const input = {
    outboxId: row.id, channel: m.kind === 'mail' ? 'email' as const : m.robot.kind,
    recipients: recipients(row),
    subject: rendered(deps, row).subject, attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? at, lastAttemptAt: at,
    lastError: error, reason, ...(row.leadId ? { leadId: row.leadId } : {}),
  };
  return noticeRows(deps, [{ key: `dead:${row.id}`, leadId: row.leadId, agency: null, to: [deps.directory.bureauEmail], template: { name: 'dead-letter', input } }], at);
}

export async function deliverOutbox(deps: JobDeps, now: Date, limit = 200): Promise<DeliverResult> {
  const result: DeliverResult = { sent: 0, retried: 0, dead: 0 };
  for (;;) {
    const batch = await claimDue(deps, now, limit);
    if (batch.length === 0) break;
    for (const row of batch) await deliverRow(deps, row, now, result);
    if (batch.length < limit) break;
  }
  return result;
}

export type RetryOutcome = { ok: true; result: DeliverResult } | { ok: false; reason: 'not-found' | 'sent' | 'busy' };

/**
 * An operator's retry of one pending or dead message: due again now with a fresh retry window
 * (recorded in the full-process record), then one attempt at once.
 */
export async function retryMessage(deps: JobDeps, id: string, now: Date, actor: string): Promise<RetryOutcome> {
  const at = now.toISOString();
  const requeued = await unlessTaken(planAndCommit<'ok' | 'not-found' | 'sent'>(deps.store, async () => {
    const row = await deps.db.selectFrom('outbox').select(['status', 'lead_id', 'key', 'attempts', 'last_error']).where('id', '=', id).executeTakeFirst();
    if (!row) return { done: 'not-found' as const };
    if (row.status !== 'pending' && row.status !== 'dead') return { done: 'sent' as const };
    const plan = requeuePlan(id, row.status, at);
    plan.events.push({ leadId: row.lead_id, actor, action: 'message.requeued', at, data: { outbox: id, key: row.key, was: row.status, attempts: Number(row.attempts), lastError: row.last_error } });
    return { plan, answer: () => 'ok' as const };
  }), 'busy' as 'ok' | 'not-found' | 'sent' | 'busy');
  if (requeued !== 'ok') return { ok: false, reason: requeued };
  const claim = crypto.randomUUID();
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const row = await unlessTaken(planAndCommit<OutboxRow | undefined>(deps.store, async () => {
    const r = await claimableMessage(deps.db, id, at);
    if (!r) return { done: undefined };
    return { plan: claimPlan([r], claim, until), answer: () => claimed(r, claim) };
  }), undefined);
  if (!row) return { ok: false, reason: 'busy' };
  const result: DeliverResult = { sent: 0, retried: 0, dead: 0 };
  await deliverRow(deps, row, now, result);
  return { ok: true, result };
}
