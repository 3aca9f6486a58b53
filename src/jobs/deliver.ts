// Delivers the outbox: e-mail through the mailer, briefs to group robots. Failures retry with
// exponential back-off and jitter for 72 hours; then the message is dead and the bureau is told.
import { isPermanentMailError, mailIdentityHeaders, planRetry, redactRobotUrl, RobotSendError, sendRobot } from '../notify/index.ts';
import { claimDue, markDead, markRetry, markSent, type OutboxRow } from '../db/stores/outbox.ts';
import { claimById, requeue } from '../db/stores/outboxQueue.ts';
import { write } from '../db/write.ts';
import type { JobDeps } from './context.ts';
import { queueNotice, render, type Template } from './messages.ts';

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

/** One attempt at one claimed message: sent, retried later, or dead (recorded, and the bureau told). */
async function deliverRow(deps: JobDeps, row: OutboxRow, now: Date, result: DeliverResult): Promise<void> {
  const at = now.toISOString();
  try {
    await attempt(deps, row, now);
    await markSent(deps.db, row, at);
    result.sent++;
  } catch (err) {
    const error = String((err as Error).message ?? err);
    const plan = planRetry({ attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? at, now: at, permanent: permanent(err) });
    deps.log.warn({
      msg: plan.action === 'retry' ? '消息发送失败，稍后重试' : '消息发送失败，已放弃（dead）',
      outbox: row.id, key: row.key, channel: row.message.kind === 'mail' ? 'email' : row.message.robot.kind, to: recipients(row),
      leadId: row.leadId, attempt: row.attempts + 1, error, ...(plan.action === 'retry' ? { nextAttemptAt: plan.at.toISOString() } : { reason: plan.reason }),
    });
    if (plan.action === 'retry') {
      await markRetry(deps.db, row, at, plan.at.toISOString(), error);
      result.retried++;
      return;
    }
    await write(deps.db, async (tx, rec) => {
      if (!(await markDead(tx, row, at, error))) return;
      result.dead++;
      rec.record({ leadId: row.leadId, actor: 'system:outbox', action: 'message.dead', at, data: { outbox: row.id, key: row.key, reason: plan.reason, error } });
      if (row.key.startsWith('dead:')) return; // never a notice about a notice
      const m = row.message;
      const input = {
        outboxId: row.id, channel: m.kind === 'mail' ? 'email' as const : m.robot.kind,
        recipients: recipients(row),
        subject: rendered(deps, row).subject, attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? at, lastAttemptAt: at,
        lastError: error, reason: plan.reason, ...(row.leadId ? { leadId: row.leadId } : {}),
      };
      await queueNotice(tx, { key: `dead:${row.id}`, leadId: row.leadId, agency: null, to: [deps.directory.bureauEmail], template: { name: 'dead-letter', input } }, at);
    });
  }
}

export async function deliverOutbox(deps: JobDeps, now: Date, limit = 200): Promise<DeliverResult> {
  const result: DeliverResult = { sent: 0, retried: 0, dead: 0 };
  for (;;) {
    const batch = await claimDue(deps.db, now.toISOString(), limit, LEASE_MS);
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
  const requeued = await write(deps.db, async (tx, rec) => {
    const row = await tx.selectFrom('outbox').select(['status', 'lead_id', 'key', 'attempts', 'last_error']).where('id', '=', id).executeTakeFirst();
    if (!row) return 'not-found' as const;
    if (row.status === 'sent') return 'sent' as const;
    if (!(await requeue(tx, id, at))) return 'busy' as const;
    rec.record({ leadId: row.lead_id, actor, action: 'message.requeued', at, data: { outbox: id, key: row.key, was: row.status, attempts: Number(row.attempts), lastError: row.last_error } });
    return 'ok' as const;
  });
  if (requeued !== 'ok') return { ok: false, reason: requeued };
  const row = await claimById(deps.db, id, at, LEASE_MS);
  if (!row) return { ok: false, reason: 'busy' };
  const result: DeliverResult = { sent: 0, retried: 0, dead: 0 };
  await deliverRow(deps, row, now, result);
  return { ok: true, result };
}
