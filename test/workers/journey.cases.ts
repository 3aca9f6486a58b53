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
import { mailIdentityHeaders } from '../../src/notify/mail.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';
import { samples as hotline } from '../../webhooks/hotline.ts';
import { ADMIN_TOKEN, CLOCK, type MailRequest } from './shared.ts';
import { SECRETS, signedHeaders } from '../helpers/sign.ts';

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

async function deliver(source: 'hotline' | 'media' | 'supervisor', payload: unknown, id: string) {
  const body = JSON.stringify(payload);
  return SELF.fetch(`http://xiansuo.test/webhooks/${source}`, { method: 'POST', body, headers: signedHeaders(SECRETS[source], id, new Date(CLOCK), body) });
}

let leadId = '';

describe('the journey on workerd: intake over D1 with the Durable Object', () => {
  it('signed webhook → lead in D1 → a repeat from another source (a supervisor) merged → routed and assigned', async () => {
    const first = await deliver('hotline', hotline.valid, 'journey-1');
    const a = await first.json() as { leadId: string; reportId: string; duplicate: boolean };
    expect(first.status, JSON.stringify(a)).toBe(202);
    expect(a.duplicate).toBe(false);
    leadId = a.leadId;
    const again = await deliver('hotline', hotline.valid, 'journey-1');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(a);
    // The same problem told by a supervisor (test/dedupe.test.ts merges it on Node too; the
    // newspaper's account of it is only a candidate on both).
    const repeat = await deliver('supervisor', {
      submissionId: 'SV-REPOST-1', supervisor: { id: 'S07', name: '李监督员' }, submittedAt: '2026-03-02T11:00:00+08:00',
      content: `监督员转述：${hotline.valid.content}`, township: '梅湾街道', subject: '城管',
    }, 'journey-2');
    const b = await repeat.json();
    expect(repeat.status, JSON.stringify(b)).toBe(202);
    expect(b).toMatchObject({ leadId: a.leadId, duplicate: true });

    const lead = await env.DB.prepare('select status, routing_agency, report_count, channels from leads where id = ?').bind(a.leadId).first<Record<string, unknown>>();
    expect(lead).toMatchObject({ routing_agency: 'urban', report_count: 2, channels: '["hotline","supervisor"]' });
    const assignment = await env.DB.prepare('select agency from assignments where lead_id = ?').bind(a.leadId).first<{ agency: string }>();
    expect(assignment?.agency).toBe('urban');
    const reports = await env.DB.prepare('select count(*) as n from dedupe_fingerprint where lead_id = ?').bind(a.leadId).first<{ n: number }>();
    expect(reports?.n).toBe(2);
  });
});

// The sweep and delivery are plans (issue 13): each write one D1 batch.
describe('the journey on workerd, scheduled', () => {
  it('a scheduled event at a chosen time sends the warning through the mail port once; a second sends nothing new', async () => {
    await fetch(sink, { method: 'DELETE' });
    const assignment = await env.DB.prepare('select id, next_reminder_at from assignments where lead_id = ?').bind(leadId).first<{ id: string; next_reminder_at: string }>();
    const at = new Date(Date.parse(assignment!.next_reminder_at) + 60_000);
    const counts: number[] = [];
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: SWEEP_CRON }), env as unknown as WorkerEnv, ctx);
      await waitOnExecutionContext(ctx);
      counts.push((await sent()).length);
    }
    const mails = await sent();
    // The first event also delivers what waited in the outbox (the assignment notices of intake).
    const reminders = await env.DB.prepare('select stage, sent from reminders where assignment_id = ?').bind(assignment!.id).all<{ stage: string; sent: number }>();
    const warnings = mails.filter((m) => /^【(预警|超期|督办)】/.test(m.body.subject) && m.body.subject.includes(leadId));
    expect(warnings, JSON.stringify({ subjects: mails.map((m) => m.body.subject), reminders: reminders.results })).toHaveLength(1);
    expect(counts[1], 'the second scheduled event sends nothing new').toBe(counts[0]);
    // One reminder mailed; a stage already overtaken by a later one is only recorded (sent = 0).
    expect(reminders.results.filter((r) => r.sent === 1)).toHaveLength(1);
    const pending = await env.DB.prepare("select count(*) as n from outbox where status = 'pending' and next_attempt_at <= ?").bind(at.toISOString()).first<{ n: number }>();
    expect(pending?.n).toBe(0);
    const recorded = await env.DB.prepare("select count(*) as n from events where action = 'reminder.sent' and lead_id = ?").bind(leadId).first<{ n: number }>();
    expect(recorded?.n).toBe(1);
  });

  it('GET /api/leads/{id} unmasks the reporters for the admin and records the unmasking in D1, once per read', async () => {
    const count = async () => (await env.DB.prepare("select count(*) as n from events where action = 'reporter.unmasked' and lead_id = ?").bind(leadId).first<{ n: number }>())!.n;
    const before = await count();
    const res = await SELF.fetch(`http://xiansuo.test/api/leads/${leadId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const body = await res.json() as { id: string; reports: { reporter?: { name?: string; phone?: string } }[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.id).toBe(leadId);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(JSON.stringify(body.reports)).toContain(hotline.valid.caller.phone);
    expect(await count()).toBe(before + 1);
    const anonymous = await SELF.fetch(`http://xiansuo.test/api/leads/${leadId}`);
    expect(anonymous.status).toBe(401);
    expect(await count()).toBe(before + 1);
  });
});
