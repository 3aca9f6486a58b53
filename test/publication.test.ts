// 公示: the bureau publishes a closed lead's result; anyone reads it on /public and in the feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const local = (s: string) => new Date(`${s}+08:00`).toISOString();

describe.each(await dialects())('publication (公示) on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let urban: string;
  let closed: string;
  let open: string;

  const lead = async (orderNo: string, title: string, content: string) => (await (await t.deliver('hotline', {
    orderNo, createdAt: local('2026-03-02T09:00:00'), caller: { name: '欧阳翠花', phone: '13912345678' },
    title, content, address: '梅湾街道幸福里小区5栋1单元302室', township: '梅湾街道',
  })).json()).leadId as string;

  beforeAll(async () => {
    t = await testApp(dialect, { now: local('2026-03-02T10:00:00') });
    bureau = await t.token('bureau');
    urban = await t.token('agency', { agency: 'urban' });
    closed = await lead('GD-PUB-1', '城管队员暴力收缴摊贩三轮车', '欧阳翠花来电（13912345678）反映城管执法人员在梅湾街道幸福里小区门口收走她的三轮车。');
    open = await lead('GD-PUB-2', '渣土车夜间抛洒无人管', '凤凰路渣土车夜间抛洒严重，交通执法部门不作为。');
    for (const [action, body, token] of [
      ['assign', { agency: 'urban' }, bureau], ['acknowledge', {}, urban],
      ['feedback', { summary: '已向欧阳翠花（电话13912345678）归还三轮车并赔礼道歉', measures: '对涉事队员批评教育，全队开展文明执法培训' }, urban],
      ['review', { decision: 'approve', comment: '整改到位' }, bureau],
    ] as const) {
      const res = await t.post(`/api/leads/${closed}/${action}`, body, token);
      expect(res.status, action).toBe(200);
    }
  });
  afterAll(async () => { await t.close(); });

  it('offers the approved rectification, masked, as the draft', async () => {
    const res = await t.get(`/api/leads/${closed}/publication`, bureau);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      publishable: true, publication: null,
      draft: '已向某某（电话***）归还三轮车并赔礼道歉。整改措施：对涉事队员批评教育，全队开展文明执法培训',
    });
  });

  it('refuses to publish a lead that is not closed, a wrong role, bad input and an unknown lead', async () => {
    const res = await t.post(`/api/leads/${open}/publish`, {}, bureau);
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toBe('只有已办结的线索可以公示');
    expect((await t.post(`/api/leads/${closed}/publish`, {}, urban)).status).toBe(403);
    expect((await t.post(`/api/leads/${closed}/publish`, { summary: 3 }, bureau)).status).toBe(422);
    expect((await t.post(`/api/leads/${closed}/publish`, { summary: 'x', extra: 1 }, bureau)).status).toBe(422);
    expect((await t.post('/api/leads/XS-2026-999999/publish', {}, bureau)).status).toBe(404);
    expect((await t.post(`/api/leads/${closed}/unpublish`, {}, bureau)).status).toBe(409);
    expect(await (await t.app.request('/public')).text()).toContain('暂无符合条件的公示内容');
  });

  it('publishes with the default summary, records it, and shows it on /public and in the feed', async () => {
    t.clock.set(local('2026-03-20T10:00:00'));
    const res = await t.post(`/api/leads/${closed}/publish`, {}, bureau);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ leadId: closed, status: 'published', agency: 'urban', domain: '城市管理' });
    const events = (await (await t.get(`/api/leads/${closed}/events`, bureau)).json()).items;
    expect(events.at(-1)).toMatchObject({ action: 'lead.published', data: { summary: expect.stringContaining('归还三轮车') } });

    const page = await t.app.request('/public');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await page.text();
    expect(text).toContain('区城市管理和综合执法局 · 城市管理');
    expect(text).toContain('已向某某（电话***）归还三轮车并赔礼道歉');
    expect(text).toContain('<dt>办结日期</dt><dd>2026年3月2日</dd>');
    expect(text).not.toMatch(/<script/i);
    for (const secret of ['欧阳翠花', '13912345678', '幸福里小区5栋']) expect(text).not.toContain(secret);

    const feed = await t.app.request('/public/feed.xml');
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await feed.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain(`<id>http://localhost:3000/public#${closed}</id>`);
    expect(xml).toContain('已向某某（电话***）归还三轮车');
    expect((xml.match(/<entry>/g) ?? []).length).toBe(1);
  });

  it('filters by year, agency and field, and says so when a filter is bad', async () => {
    const has = async (q: string) => (await (await t.app.request(`/public?${q}`)).text()).includes(`id="${closed}"`);
    expect(await has('year=2026&agency=urban&domain=城市管理')).toBe(true);
    expect(await has('year=2025')).toBe(false);
    expect(await has('agency=market')).toBe(false);
    expect(await has('domain=市场监管')).toBe(false);
    const bad = await t.app.request('/public?year=26');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('筛选条件无效：年度应为四位数字');
  });

  it('masks a summary the bureau writes, updates it in place, and withdraws it', async () => {
    const res = await t.post(`/api/leads/${closed}/publish`, { summary: '经核实，城管队员收走三轮车属实，已归还。联系人 ouyang@example.com，身份证 431103198001011234。' }, bureau);
    expect((await res.json()).summary).toBe('经核实，城管队员收走三轮车属实，已归还。联系人 ***，身份证 ***。');
    const events = (await (await t.get(`/api/leads/${closed}/events`, bureau)).json()).items;
    expect(events.at(-1).action).toBe('lead.publication.updated');
    const off = await t.post(`/api/leads/${closed}/unpublish`, { reason: '当事人申请' }, bureau);
    expect(off.status).toBe(200);
    expect((await (await t.get(`/api/leads/${closed}/events`, bureau)).json()).items.at(-1)).toMatchObject({ action: 'lead.unpublished', data: { reason: '当事人申请' } });
    expect(await (await t.app.request('/public')).text()).not.toContain(closed);
    expect(await (await t.app.request('/public/feed.xml')).text()).not.toContain('<entry>');
  });
});
