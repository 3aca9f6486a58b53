// The outbox gives up only after 72 hours of failures, or at once on a permanent refusal; then the
// message is dead, recorded, and the bureau is told. Nothing is sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../src/app/deliverOutbox.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtpSink.ts';

describe.each(await dialects())('outbox on %s', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let bureau: string;
  const lead = async (i: number, agency: string) => {
    const { leadId } = await (await t.deliver('hotline', { orderNo: `GD-OUTBOX-${i}`, createdAt: '2026-03-02T09:15:00+08:00', ...PROBLEMS[i]! })).json();
    expect((await t.post(`/api/leads/${leadId}/assign`, { agency }, bureau)).status).toBe(200);
    return leadId as string;
  };
  const status = async () => (await t.database.db.selectFrom('outbox').select(['key', 'status', 'attempts']).orderBy('created_at').orderBy('key').execute())
    .map((r) => `${r.key.split(':')[0]}:${r.status}`);

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipients: { 'market@example.gov.cn': 550 } });
    t = await testApp(dialect, { env: { SMTP_URL: sink.url } });
    bureau = await t.token('bureau');
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('marks a permanently refused mail dead at once and tells the bureau', async () => {
    const leadId = await lead(1, 'market');
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 0, dead: 1 });
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 1, dead: 0 });
    const [notice] = await sink.waitFor(1);
    expect(notice!.to).toEqual(['jiandu@example.gov.cn']);
    expect(notice!.parsed.subject).toMatch(/投递失败/);
    expect(notice!.parsed.text).toContain('market@example.gov.cn');
    const events = (await (await t.get(`/api/leads/${leadId}/events`, bureau)).json()).items;
    expect(events.find((e: { action: string }) => e.action === 'message.dead').data).toMatchObject({ reason: 'permanent' });
  });

  it('retries a temporarily refused mail with back-off, and gives up after 72 hours', async () => {
    sink.setDown(true);
    await lead(2, 'urban');
    const start = t.clock.now().getTime();
    const attempts: number[] = [];
    for (let h = 0; h <= 74; h += 2) {
      t.clock.set(new Date(start + h * 3_600_000).toISOString());
      const r = await deliverOutbox(t.deps, t.clock.now());
      if (r.retried || r.dead) attempts.push(h);
      if (r.dead) break;
    }
    expect(attempts.length).toBeGreaterThan(10);
    expect(attempts.at(-1)).toBeGreaterThanOrEqual(72);
    const row = await t.database.db.selectFrom('outbox').selectAll().where('key', 'like', 'assign:%').where('agency', '=', 'urban').executeTakeFirstOrThrow();
    expect(row.status).toBe('dead');
    expect(row.last_error).toMatch(/451|down|temporar/i);
    sink.setDown(false);
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 1 });
    expect(sink.messages.at(-1)!.parsed.subject).toMatch(/投递失败/);
  });

  it('never sends a message twice, however often delivery runs', async () => {
    const before = sink.messages.length;
    for (let i = 0; i < 3; i++) expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 0, retried: 0, dead: 0 });
    expect(sink.messages.length).toBe(before);
    expect((await status()).sort()).toEqual(['assign:dead', 'assign:dead', 'dead:sent', 'dead:sent']);
  });
});
