// Inside workerd (run from workerd.test.ts), the journey of issue 18: a signed webhook → a lead in D1 → a repeat from another
// source merged → routed → assigned → a scheduled event at a chosen time sends the warning through
// the mail port once, a second sends nothing new. The mail goes to the local HTTP mail API that
// globalSetup.ts runs (it checks each request as Resend documents it).
import { createExecutionContext, createScheduledController, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import worker from '../../src/runtime/worker.ts';
import { SWEEP_CRON } from '../../src/runtime/workerStart.ts';
import { loadWorkerConfig } from '../../src/runtime/workerConfig.ts';
import { workerMailer } from '../../src/runtime/workerDeps.ts';
import { mailIdentityHeaders } from '../../src/notify/mailer.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';
import { samples as hotline } from '../../webhooks/hotline.ts';
import { samples as media } from '../../webhooks/media.ts';
import { CLOCK, type MailRequest } from './shared.ts';

const sink = `http://127.0.0.1:${inject('mailPort')}/sent`;
const sent = async (): Promise<MailRequest[]> => (await fetch(sink)).json();

describe('mail from the worker', () => {
  beforeAll(async () => { await fetch(sink, { method: 'DELETE' }); });

  it('the worker\'s mailer posts to the HTTP mail API from workerd; a retry with the same Message-ID is sent once', async () => {
    const mailer = workerMailer(loadWorkerConfig(env));
    const msg = {
      to: ['urban@example.gov.cn'], subject: '【预警】测试', text: '整改反馈即将到期', html: '<p>整改反馈即将到期</p>',
      headers: mailIdentityHeaders(7, 'asg-1:feedback:warning', 'xiansuo@example.gov.cn'),
    };
    const first = await mailer.send(msg);
    await mailer.send(msg);
    expect(first.messageId).toBe('<xiansuo.outbox.7@example.gov.cn>');
    const got = await sent();
    expect(got).toHaveLength(1);
    expect(got[0]!.idempotencyKey).toBe('<xiansuo.outbox.7@example.gov.cn>');
    expect(got[0]!.body).toMatchObject({ to: ['urban@example.gov.cn'], subject: '【预警】测试' });
  });
});

// Intake, the sweep and delivery still write through interactive transactions (write(db, …)),
// which D1 does not have; the D1 backend refuses them plainly (src/db/d1/backend.ts). This journey
// runs once they are plans (issue 13): remove `.skip` then.
const WAITING = 'skipped: intake, sweep and delivery are not plans yet (issue 13, branch h-13); on D1 they answer 503 / refuse';
describe.skip(`the journey on workerd — ${WAITING}`, () => {
  async function deliver(source: 'hotline' | 'media', payload: unknown, id: string) {
    const { signedHeaders } = await import('../helpers/sign.ts');
    const { SECRETS } = await import('../helpers/sign.ts');
    const body = JSON.stringify(payload);
    return SELF.fetch(`http://xiansuo.test/webhooks/${source}`, { method: 'POST', body, headers: signedHeaders(SECRETS[source], id, new Date(CLOCK), body) });
  }

  it('webhook → lead → merged repeat → routed and assigned → one warning mail, then nothing new', async () => {
    await fetch(sink, { method: 'DELETE' });
    const first = await deliver('hotline', hotline.valid, 'journey-1');
    expect(first.status).toBe(202);
    const a = await first.json() as { leadId: string; reportId: string; duplicate: boolean };
    expect(a.duplicate).toBe(false);
    const repeat = await deliver('media', media.valid, 'journey-2');
    expect(repeat.status).toBe(202);
    expect(await repeat.json()).toMatchObject({ leadId: a.leadId, duplicate: true });

    const lead = await env.DB.prepare('select status, routing_agency, report_count, channels from leads where id = ?').bind(a.leadId).first<Record<string, unknown>>();
    expect(lead).toMatchObject({ routing_agency: 'urban', report_count: 2, channels: '["hotline","media"]' });
    const assignment = await env.DB.prepare('select agency, next_reminder_at from assignments where lead_id = ?').bind(a.leadId).first<{ agency: string; next_reminder_at: string }>();
    expect(assignment?.agency).toBe('urban');

    const at = new Date(Date.parse(assignment!.next_reminder_at) + 60_000);
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: SWEEP_CRON }), env as unknown as WorkerEnv, ctx);
      await waitOnExecutionContext(ctx);
    }
    const mails = await sent();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body.subject).toContain('预警');
    expect(mails[0]!.body.subject).toContain(a.leadId);
  });
});
