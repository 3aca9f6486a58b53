// A second report of the same problem, joined to the lead by de-duplication at intake, is told so
// (API.md §7): its source hears report.accepted with duplicate: true, then report.merged with the
// lead it joined (mergedFrom null), and later that lead's progress under its own external id. The
// first report's source hears nothing of the second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as media } from '../webhooks/media.ts';
import { deliverCallbacks } from '../src/app/deliverCallbacks.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { callbackEnv, startCallbackReceiver, type CallbackReceiver } from './helpers/callbackReceiver.ts';
import { dialects } from './helpers/dialects.ts';

describe.each(await dialects())('callbacks of a report joined at intake on %s', (dialect) => {
  let rx: CallbackReceiver;
  let t: TestApp;

  beforeAll(async () => {
    rx = await startCallbackReceiver();
    t = await testApp(dialect, { env: callbackEnv(rx, ['hotline', 'media']) });
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('report.accepted (duplicate) and report.merged, then the lead\'s progress, each source with its own ids only', async () => {
    const bureau = await t.token('bureau');
    const urban = await t.token('agency', { agency: 'urban' });
    const first = await (await t.deliver('hotline', hotline.valid)).json();
    t.clock.advance(3_600_000);
    const repost = {
      ...media.valid, articleId: 'YZRB-DEDUPE-1', title: hotline.valid.title, content: `转载：${hotline.valid.content}`,
      township: hotline.valid.township, subject: hotline.valid.subject,
    };
    const res = await t.deliver('media', repost);
    expect(res.status).toBe(202);
    const second = await res.json();
    expect(second).toMatchObject({ leadId: first.leadId, duplicate: true });

    const lead = `/api/leads/${first.leadId}`;
    expect((await t.post(`${lead}/assign`, { agency: 'urban' }, bureau)).status).toBe(200);
    expect((await t.post(`${lead}/acknowledge`, {}, urban)).status).toBe(200);
    expect((await t.post(`${lead}/feedback`, { summary: '已归还三轮车并赔礼道歉', measures: '规范执法培训' }, urban)).status).toBe(200);
    expect((await t.post(`${lead}/review`, { decision: 'approve', comment: '整改到位' }, bureau)).status).toBe(200);
    for (let i = 0; i < 5; i++) await deliverCallbacks(t.deps, t.clock.now());

    const got = rx.delivered('media').map((r) => r.body);
    expect(got.map((b) => b.type)).toEqual(['report.accepted', 'report.merged', 'lead.assigned', 'lead.closed']);
    const own = { source: 'media', externalId: 'YZRB-DEDUPE-1', reportId: second.reportId, leadId: first.leadId };
    expect(got[0]!.data).toEqual({ ...own, status: 'triage', duplicate: true });
    expect(got[1]!.data).toEqual({ ...own, status: 'triage', mergedFrom: null });
    expect(got[3]!.data).toMatchObject({ ...own, status: 'closed', summary: '已归还三轮车并赔礼道歉' });
    expect(rx.delivered('hotline').map((r) => r.body.type)).toEqual(['report.accepted', 'lead.assigned', 'lead.closed']);
    for (const r of rx.delivered('hotline')) {
      expect(JSON.stringify(r.body)).not.toContain('YZRB-DEDUPE-1');
      expect(JSON.stringify(r.body)).not.toContain(second.reportId);
    }
    expect(rx.received.every((r) => r.verified && r.misfit === null)).toBe(true);
  });
});
