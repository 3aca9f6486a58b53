// The rectification journey end to end (issue 5): signed webhook → lead → 交办 → nothing
// acknowledged → sweeps at chosen times → 超期 and 督办 mails at a real SMTP server, once each;
// SMTP down for a while → the mails arrive after it returns, none lost, none doubled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { sweepAndDeliver } from '../src/jobs/index.ts';
import { deliverOutbox } from '../src/app/deliverOutbox.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtpSink.ts';

const local = (s: string) => new Date(`${s}+08:00`);

describe.each(await dialects())('rectification tracking on %s', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let leadId: string;
  let bureau: string;
  let urban: string;

  const keyOf = (m: SmtpSink['messages'][number]) => String(m.parsed.headers.get('x-xiansuo-key'));
  const keys = () => sink.messages.map(keyOf);
  /** Reminder mails only (the daily digests go to the same inbox). */
  const reminders = () => sink.messages.filter((m) => keyOf(m).startsWith('reminder:'));
  const digests = () => sink.messages.filter((m) => keyOf(m).startsWith('digest:'));
  const at = async (when: string) => {
    t.clock.set(local(when).toISOString());
    return sweepAndDeliver(t.deps, t.clock.now());
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await testApp(dialect, { env: { SMTP_URL: sink.url, XIANSUO_PUBLIC_URL: 'https://xiansuo.example.gov.cn' }, now: local('2026-03-02T09:55:00').toISOString() });
    bureau = await t.token('bureau');
    urban = await t.token('agency', { agency: 'urban' });
    leadId = (await (await t.deliver('hotline', hotline.valid)).json()).leadId;
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('assigns with deadlines on the real calendar and mails a 交办通知', async () => {
    t.clock.set(local('2026-03-02T10:00:00').toISOString());
    const res = await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban' }, bureau);
    expect(res.status).toBe(200);
    const lead = await res.json();
    expect(lead.status).toBe('assigned');
    expect(lead.assignments[0]).toMatchObject({
      agency: 'urban', role: 'primary', status: 'assigned',
      ackDueAt: '2026-03-03T15:59:59.000Z', dueAt: '2026-03-23T15:59:59.000Z', calendarProvisional: false,
    });
    const r = await deliverOutbox(t.deps, t.clock.now());
    expect(r.sent).toBe(1);
    const [mail] = await sink.waitFor(1);
    expect(mail!.to).toEqual(['urban@example.gov.cn']);
    expect(mail!.parsed.subject).toContain(leadId);
    expect(mail!.parsed.text).toContain(`https://xiansuo.example.gov.cn/leads/${leadId}`);
  });

  it('sends nothing before a deadline passes; the daily digest once a working day from 08:30', async () => {
    expect(await at('2026-03-03T08:00:00')).toMatchObject({ reminders: 0, digests: 0 });
    expect(await at('2026-03-03T12:00:00')).toMatchObject({ reminders: 0, digests: 1 });
    expect(await at('2026-03-03T16:00:00')).toMatchObject({ reminders: 0, digests: 0 });
    await sink.waitFor(2);
    expect(reminders()).toHaveLength(0);
    expect(digests()).toHaveLength(1);
    expect(digests()[0]!.to).toEqual(['urban@example.gov.cn']);
    expect(digests()[0]!.parsed.text).toContain(leadId);
  });

  it('sends the 超期 notice for 签收 on the first working day after, once', async () => {
    const r = await at('2026-03-04T09:00:00');
    // The reminder, the digest and the bureau's daily chain head (全过程记录链头).
    expect(r).toMatchObject({ reminders: 1, digests: 1, sent: 3 });
    const mail = reminders()[0]!;
    expect(mail.to).toEqual(['urban@example.gov.cn']);
    expect(mail.parsed.subject).toMatch(/超期/);
    expect(mail.parsed.subject).toContain(leadId);
    expect((await at('2026-03-04T09:00:00')).reminders).toBe(0);
    expect((await at('2026-03-04T15:00:00')).reminders).toBe(0);
    expect(reminders()).toHaveLength(1);
  });

  it('escalates (督办) to the agency head and the bureau 3 working days later', async () => {
    expect((await at('2026-03-06T09:00:00')).reminders).toBe(0);
    const r = await at('2026-03-09T09:00:00');
    expect(r.reminders).toBe(1);
    const mail = reminders()[1]!;
    expect(mail.parsed.subject).toMatch(/督办/);
    expect(mail.to.sort()).toEqual(['jiandu@example.gov.cn', 'urban-head@example.gov.cn', 'urban@example.gov.cn']);
    expect(String(mail.parsed.headers.get('x-xiansuo-key'))).toContain('acknowledge@2026-03-03T15:59:59.000Z:escalation-1');
  });

  it('keeps mails while SMTP is down and delivers each once when it returns', async () => {
    sink.setDown(true);
    const r = await at('2026-03-12T09:00:00');
    expect(r).toMatchObject({ reminders: 1, digests: 1, sent: 0, retried: 3 });
    t.clock.set(local('2026-03-12T11:00:00').toISOString());
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 0, retried: 3 });
    expect(sink.refusals.length).toBeGreaterThanOrEqual(2);
    sink.setDown(false);
    t.clock.set(local('2026-03-12T14:00:00').toISOString());
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 3 });
    t.clock.set(local('2026-03-12T18:00:00').toISOString());
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 0, retried: 0 });
    expect(reminders()).toHaveLength(3);
    expect(reminders()[2]!.parsed.subject).toMatch(/督办/);
    expect(new Set(keys()).size).toBe(keys().length);
  });

  it('stops 签收 reminders once acknowledged, then warns 2 working days before the feedback deadline', async () => {
    t.clock.set(local('2026-03-12T15:00:00').toISOString());
    const ack = await t.post(`/api/leads/${leadId}/acknowledge`, {}, urban);
    expect(ack.status).toBe(200);
    expect((await ack.json()).status).toBe('rectifying');
    expect((await at('2026-03-17T09:00:00')).reminders).toBe(0);
    const r = await at('2026-03-19T09:00:00');
    expect(r.reminders).toBe(1);
    expect(reminders()).toHaveLength(4);
    expect(reminders()[3]!.parsed.subject).toMatch(/预警/);
    expect(reminders()[3]!.to).toEqual(['urban@example.gov.cn']);
    // One digest per working day swept after 08:30: 3, 4, 6, 9, 12, 17, 19 March.
    expect(digests().map((m) => keyOf(m).split(':')[2])).toEqual(
      ['2026-03-03', '2026-03-04', '2026-03-06', '2026-03-09', '2026-03-12', '2026-03-17', '2026-03-19']);
  });

  it('records every reminder in the full-process record', async () => {
    const events = await (await t.get(`/api/leads/${leadId}/events`, bureau)).json();
    const sent = events.items.filter((e: { action: string }) => e.action === 'reminder.sent');
    expect(sent.map((e: { data: { stage: string; kind: string } }) => `${e.data.kind}:${e.data.stage}`))
      .toEqual(['acknowledge:overdue', 'acknowledge:escalation-1', 'acknowledge:escalation-2', 'feedback:warning']);
  });

  it('runs the whole journey: feedback, return with a new deadline, feedback, approve, follow-up', async () => {
    t.clock.set(local('2026-03-20T10:00:00').toISOString());
    const fb = await t.post(`/api/leads/${leadId}/feedback`, { summary: '已核实并整改', measures: '约谈执法人员，归还财物', evidence: [{ url: 'https://example.com/a.jpg', kind: 'photo' }] }, urban);
    expect((await fb.json()).status).toBe('feedback');
    expect((await t.post(`/api/leads/${leadId}/review`, { decision: 'approve', comment: 'x' }, urban)).status).toBe(403);
    const ret = await t.post(`/api/leads/${leadId}/review`, { decision: 'return', comment: '未附处理决定书' }, bureau);
    const returned = await ret.json();
    expect(returned.status).toBe('rectifying');
    expect(returned.assignments[0].dueAt).toBe('2026-04-13T15:59:59.000Z');
    const fb2 = await t.post(`/api/leads/${leadId}/feedback`, { summary: '补充处理决定书', measures: '已补充' }, urban);
    expect((await fb2.json()).status).toBe('feedback');
    const ok = await t.post(`/api/leads/${leadId}/review`, { decision: 'approve', comment: '整改到位' }, bureau);
    expect((await ok.json()).status).toBe('closed');
    const tasks = (await (await t.get('/api/follow-ups', bureau)).json()).items;
    expect(tasks).toEqual([expect.objectContaining({ leadId, via: 'phone', round: 1 })]);
    expect(JSON.stringify(tasks)).not.toContain('13800000000');
    const report = (await (await t.get(`/api/leads/${leadId}`, bureau)).json()).reports[0];
    const unhappy = await t.post(`/api/leads/${leadId}/follow-up`, { reportId: report.id, satisfied: false, comment: '三轮车仍未归还' }, bureau);
    expect((await unhappy.json()).status).toBe('triage');
    expect((await (await t.get('/api/follow-ups', bureau)).json()).items).toEqual([]);
    const reopened = (await (await t.get(`/api/leads/${leadId}/events`, bureau)).json()).items.map((e: { action: string }) => e.action);
    expect(reopened).toEqual(expect.arrayContaining(['followup.recorded', 'lead.reopened']));
    // Once closed, nothing is reminded any more.
    expect((await at('2026-04-20T09:00:00')).reminders).toBe(0);
  });

  it('answers a wrong state with 409 and a reason, another agency with 404, bad input with 422', async () => {
    const market = await t.token('agency', { agency: 'market' });
    const wrong = await t.post(`/api/leads/${leadId}/acknowledge`, {}, urban);
    expect(wrong.status).toBe(409);
    expect((await wrong.json()).detail).toMatch(/不能签收/);
    expect((await t.post(`/api/leads/${leadId}/acknowledge`, {}, market)).status).toBe(404);
    const bad = await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban', workingDays: -3 }, bureau);
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors[0].path).toBe('/workingDays');
    const before = (await (await t.get(`/api/leads/${leadId}/events`, bureau)).json()).items.length;
    await t.post(`/api/leads/${leadId}/reject`, {}, bureau);
    expect((await (await t.get(`/api/leads/${leadId}/events`, bureau)).json()).items.length).toBe(before);
  });
});
