// Delivers the outbox: e-mail through the mailer, briefs to group robots. Failures retry with
// exponential back-off and jitter for 72 hours; then the message is dead and the bureau is told.
import { isPermanentMailError, mailIdentityHeaders, planRetry, redactRobotUrl, RobotSendError, sendRobot } from '../notify/index.ts';
import { claimDue, markDead, markRetry, markSent, type OutboxRow } from '../db/stores/outbox.ts';
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

export async function deliverOutbox(deps: JobDeps, now: Date, limit = 200): Promise<DeliverResult> {
  const result: DeliverResult = { sent: 0, retried: 0, dead: 0 };
  for (;;) {
    const at = now.toISOString();
    const batch = await claimDue(deps.db, at, limit, LEASE_MS);
    if (batch.length === 0) break;
    for (const row of batch) {
      try {
        await attempt(deps, row, now);
        await markSent(deps.db, row, at);
        result.sent++;
      } catch (err) {
        const error = String((err as Error).message ?? err);
        const plan = planRetry({ attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? at, now: at, permanent: permanent(err) });
        if (plan.action === 'retry') {
          await markRetry(deps.db, row, at, plan.at.toISOString(), error);
          result.retried++;
          continue;
        }
        await write(deps.db, async (tx, rec) => {
          if (!(await markDead(tx, row, at, error))) return;
          result.dead++;
          rec.record({ leadId: row.leadId, actor: 'system:outbox', action: 'message.dead', at, data: { outbox: row.id, key: row.key, reason: plan.reason, error } });
          if (row.key.startsWith('dead:')) return; // never a notice about a notice
          const m = row.message;
          const input = {
            outboxId: row.id, channel: m.kind === 'mail' ? 'email' as const : m.robot.kind,
            recipients: m.kind === 'mail' ? [...m.to, ...m.cc] : [redactRobotUrl(m.robot.url)],
            subject: rendered(deps, row).subject, attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? at, lastAttemptAt: at,
            lastError: error, reason: plan.reason, ...(row.leadId ? { leadId: row.leadId } : {}),
          };
          await queueNotice(tx, { key: `dead:${row.id}`, leadId: row.leadId, agency: null, to: [deps.directory.bureauEmail], template: { name: 'dead-letter', input } }, at);
        });
      }
    }
    if (batch.length < limit) break;
  }
  return result;
}
