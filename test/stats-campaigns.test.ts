// Campaigns (专项整治) over the fixed data set: opened with a rule and a public call, leads tagged by
// rule and by hand, its own figures, closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { buildDataset, type Dataset } from './stats-dataset.ts';

describe.each(await dialects())('campaigns on %s', (dialect) => {
  let t: TestApp;
  let d: Dataset;
  let id: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    d = await buildDataset(t);
    t.clock.set('2026-04-20T01:00:00.000Z');
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('opens a campaign with a rule and shows its call on /public', async () => {
    const res = await t.post('/api/campaigns', {
      name: '道路交通安全和运输执法领域突出问题专项整治', domain: '交通运输', agencies: ['transport'], keywords: ['扣押', '扣车'],
      startsOn: '2026-03-01', endsOn: '2026-06-30', callText: '即日起公开征集道路交通安全和运输执法领域问题线索，欢迎拨打12345反映。',
    }, d.bureau);
    expect(res.status).toBe(201);
    const c = await res.json();
    expect(c).toMatchObject({ status: 'open', agencies: ['transport'] });
    id = c.id;
    const page = await (await t.app.request('/public')).text();
    expect(page).toContain('征集公告：道路交通安全和运输执法领域突出问题专项整治');
    expect(page).toContain('征集时间：2026年3月1日 至 2026年6月30日');
  });

  it('refuses bad input, unknown agencies and other roles', async () => {
    const bad = await t.post('/api/campaigns', { name: '', startsOn: '2026-03-02', endsOn: '2026-03-01', callText: 'x' }, d.bureau);
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual(['/name', '/endsOn']);
    expect((await t.post('/api/campaigns', { name: 'x', agencies: ['nowhere'], startsOn: '2026-03-01', endsOn: '2026-03-02', callText: 'x' }, d.bureau)).status).toBe(422);
    const agency = await t.token('agency', { agency: 'urban' });
    expect((await t.post('/api/campaigns', {}, agency)).status).toBe(403);
    expect((await t.get('/api/campaigns/ZX-0000-nothere', d.bureau)).status).toBe(404);
  });

  it('tags by rule and by hand, and gives the campaign its own figures', async () => {
    const applied = await (await t.post(`/api/campaigns/${id}/apply`, {}, d.bureau)).json();
    expect(applied).toEqual({ matched: 1, added: 1 }); // L4: 交通运输, transport, 扣押
    expect(await (await t.post(`/api/campaigns/${id}/apply`, {}, d.bureau)).json()).toEqual({ matched: 1, added: 0 });
    expect(await (await t.post(`/api/campaigns/${id}/leads/${d.leads.L3}`, {}, d.bureau)).json()).toEqual({ changed: true });
    expect((await t.post(`/api/campaigns/${id}/leads/XS-2026-999999`, {}, d.bureau)).status).toBe(404);
    const events = (await (await t.get(`/api/leads/${d.leads.L4}/events`, d.bureau)).json()).items;
    expect(events.at(-1)).toMatchObject({ action: 'campaign.tagged', data: { campaign: id, via: 'rule' } });

    const view = await (await t.get(`/api/campaigns/${id}`, d.bureau)).json();
    expect(view.leads).toBe(2);
    expect(view.stats).toMatchObject({ leads: 2, byAgency: { market: 1, transport: 1 }, byDomain: { 市场监管: 1, 交通运输: 1 } });
    expect(view.stats.handling).toMatchObject({ received: 2, assigned: 2, escalated: 1, extended: 1, overdue: 1, inProgress: 1, triage: 1 });

    expect(await (await t.app.request(`/api/campaigns/${id}/leads/${d.leads.L3}`, { method: 'DELETE', headers: { authorization: `Bearer ${d.bureau}` } })).json()).toEqual({ changed: true });
    expect((await (await t.get(`/api/campaigns/${id}`, d.bureau)).json()).leads).toBe(1);
  });

  it('closes it: no more tagging, no call on /public', async () => {
    expect((await t.post(`/api/campaigns/${id}/close`, {}, d.bureau)).status).toBe(200);
    expect((await t.post(`/api/campaigns/${id}/apply`, {}, d.bureau)).status).toBe(409);
    expect((await t.post(`/api/campaigns/${id}/close`, {}, d.bureau)).status).toBe(409);
    expect(await (await t.app.request('/public')).text()).not.toContain('征集公告');
    expect((await (await t.get('/api/campaigns?status=closed', d.bureau)).json()).items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('gives its report in the shape of the annual report, as data and as a Word document', async () => {
    const r = await (await t.get(`/api/campaigns/${id}/report`, d.bureau)).json();
    expect(r.title).toBe('道路交通安全和运输执法领域突出问题专项整治工作情况报告');
    expect(r.sections[0].paragraphs[0]).toBe('专项整治期间共收集问题线索1条，已整改到位0条，整改率0.0%；仍在办理0条。');
    const doc = await t.get(`/api/campaigns/${id}/report.docx`, d.bureau);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toContain('wordprocessingml');
    expect(new Uint8Array(await doc.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // a zip
  });
});
