// Issue #12 items 1 and 2, the cases that failed before: a supervisor whose report joined another
// reporter's lead sees the lead's progress and its own report, nothing of the others'; a
// confidential caller is 保密 everywhere outside the bureau; explanations name the kind of match,
// never the number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as supervisor } from '../webhooks/supervisor.ts';
import { write } from '../src/db/commit.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

type Json = Record<string, any>;

const S07 = supervisor.valid;
// The same problem in other words, without S07's last sentence (its own phrase, 涉企检查过多).
const S08 = {
  submissionId: 'SV-S08-0001', supervisor: { id: 'S08', name: '周监督员' }, submittedAt: '2026-03-04T17:00:00+08:00',
  content: '监督员反映：区市场监管局对伊塘镇一家小餐馆一个月内检查了五次，每次都是不同科室，餐馆老板反映严重影响经营。',
  township: '伊塘镇', subject: '市场监管局', evidence: [{ url: 'https://example.com/evidence/s08.jpg', kind: 'photo' }],
};
const S07_OWN_PHRASE = '涉企检查过多';

describe.each(await dialects())('what a supervisor sees on %s', (dialect) => {
  let t: TestApp;
  let bureau: string, market: string, s07: string, s08: string;
  let lead: string, s07Report: string, s08Report: string;
  const get = async (path: string, token: string): Promise<Json> => {
    const res = await t.get(path, token);
    expect(res.status, path).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await testApp(dialect, { now: '2026-03-04T09:00:00.000Z' });
    bureau = await t.token('bureau');
    market = await t.token('agency', { agency: 'market' });
    s07 = await t.token('supervisor', { supervisorId: 'S07' });
    s08 = await t.token('supervisor', { supervisorId: 'S08' });
    const first = await (await t.deliver('supervisor', S07)).json();
    t.clock.advance(3_600_000);
    const second = await (await t.deliver('supervisor', S08)).json();
    expect(second).toMatchObject({ leadId: first.leadId, duplicate: true });
    ({ leadId: lead, reportId: s07Report } = first);
    s08Report = second.reportId;
    // The whole way to 办结.
    expect((await t.post(`/api/leads/${lead}/assign`, { agency: 'market' }, bureau)).status).toBe(200);
    expect((await t.post(`/api/leads/${lead}/acknowledge`, {}, market)).status).toBe(200);
    expect((await t.post(`/api/leads/${lead}/feedback`, {
      summary: '已合并检查事项，一次上门查完', measures: '建立涉企检查计划', evidence: [{ url: 'https://example.com/agency/plan.pdf', kind: 'document' }],
    }, market)).status).toBe(200);
    expect((await t.post(`/api/leads/${lead}/review`, { decision: 'approve', comment: '整改到位' }, bureau)).status).toBe(200);
  });
  afterAll(async () => { await t.close(); });

  it('gives S08 the progress of the lead S07 reported first, and its own report only', async () => {
    const view = await get(`/api/leads/${lead}`, s08);
    expect(view).toMatchObject({
      id: lead, status: 'closed', channels: ['supervisor'], reportCount: 1,
      content: expect.stringContaining('严重影响经营'),
      assignments: [{ agency: 'market', status: 'closed' }],
      rectification: { agency: 'market', summary: '已合并检查事项，一次上门查完' },
    });
    expect(view.reports.map((r: Json) => r.id)).toEqual([s08Report]);
    const text = JSON.stringify(view);
    for (const other of [s07Report, S07.submissionId, S07.evidence[0]!.url, '李监督员', S07_OWN_PHRASE]) expect(text).not.toContain(other);
  });

  it('keeps S07 out of S08\'s report the same way', async () => {
    const view = await get(`/api/leads/${lead}`, s07);
    expect(view.reports.map((r: Json) => r.id)).toEqual([s07Report]);
    const text = JSON.stringify(view);
    for (const other of [s08Report, S08.submissionId, S08.evidence[0]!.url, '周监督员']) expect(text).not.toContain(other);
  });

  it('shows S08 the events of its own report and the lead\'s progress, none about S07\'s report', async () => {
    const { items } = await get(`/api/leads/${lead}/events`, s08);
    const actions = items.map((e: Json) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['report.received', 'lead.assigned', 'assignment.acknowledged', 'lead.review.approved']));
    expect(items.every((e: Json) => e.reportId === null || e.reportId === s08Report)).toBe(true);
    const text = JSON.stringify(items);
    for (const other of [s07Report, S07.submissionId, '李监督员', 'plan.pdf', '建立涉企检查计划']) expect(text).not.toContain(other);
    // The bureau's record still holds everything.
    const all = await get(`/api/leads/${lead}/events`, bureau);
    expect(all.items.some((e: Json) => e.reportId === s07Report)).toBe(true);
  });

  it('lists the lead to S08 with its own words, and cannot be probed with the others\'', async () => {
    const list = await get('/api/leads', s08);
    expect(list.items.map((l: Json) => l.id)).toEqual([lead]);
    expect(JSON.stringify(list)).not.toContain(S07_OWN_PHRASE);
    expect((await get(`/api/leads?q=${encodeURIComponent(S07_OWN_PHRASE)}`, s08)).items).toEqual([]);
    expect((await get(`/api/leads?q=${encodeURIComponent('严重影响经营')}`, s08)).items).toHaveLength(1);
    expect((await get('/api/leads?source=hotline', s08)).items).toEqual([]);
  });

  it('follows a report merged by hand into a hotline caller\'s lead, without showing the caller', async () => {
    const h = await (await t.deliver('hotline', hotline.valid)).json();
    const mine = await (await t.deliver('supervisor', {
      submissionId: 'SV-S08-0002', supervisor: { id: 'S08', name: '周监督员' }, submittedAt: '2026-03-04T17:30:00+08:00',
      content: '菱角塘市场门口有老人三轮车被收走，监督员现场了解到没有暂扣清单。', township: '梅湾街道',
    })).json();
    expect(mine.leadId).not.toBe(h.leadId);
    expect((await t.post(`/api/leads/${mine.leadId}/merge`, { into: h.leadId }, bureau)).status).toBe(200);

    const view = await get(`/api/leads/${h.leadId}`, s08);
    expect(view.reports.map((r: Json) => r.id)).toEqual([mine.reportId]);
    const text = JSON.stringify(view);
    for (const other of [h.reportId, hotline.valid.orderNo, '张先生', '138****0000', '暴力没收']) expect(text).not.toContain(other);
    const events = JSON.stringify((await get(`/api/leads/${h.leadId}/events`, s08)).items);
    for (const other of [h.reportId, hotline.valid.orderNo, '暴力没收']) expect(events).not.toContain(other);
    expect((await get(`/api/leads/${mine.leadId}`, s08))).toMatchObject({ status: 'merged', mergedInto: h.leadId });
    expect((await get('/api/leads', s08)).items.map((l: Json) => l.id)).toEqual(expect.arrayContaining([h.leadId, mine.leadId]));
    // It finds the lead by its own words (the lead's own text is the caller's), not by the caller's.
    const found = await get(`/api/leads?q=${encodeURIComponent('监督员现场了解到')}`, s08);
    expect(found.items.map((l: Json) => l.id)).toContain(h.leadId);
    expect((await get(`/api/leads?q=${encodeURIComponent('暴力没收')}`, s08)).items).toEqual([]);
    // S07 has no report there.
    expect((await t.get(`/api/leads/${h.leadId}`, s07)).status).toBe(404);
  });
});

describe.each(await dialects())('confidential reporters and explanations on %s', (dialect) => {
  let t: TestApp;
  let bureau: string, urban: string, viewer: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    bureau = await t.token('bureau');
    urban = await t.token('agency', { agency: 'urban' });
    viewer = await t.token('viewer');
  });
  afterAll(async () => { await t.close(); });

  it('shows a confidential caller as 保密, in the fields and in the text, to agencies, viewers and in mails', async () => {
    const { leadId } = await (await t.deliver('hotline', {
      orderNo: 'GD-SECRET-1', createdAt: '2026-03-02T09:15:00+08:00',
      caller: { name: '刘德明', phone: '13911112222', confidential: true },
      title: '刘德明反映城管执法人员暴力没收三轮车',
      content: '我叫刘德明，电话139-1111-2222，在梅湾街道菱角塘市场门口，城管执法人员强行收走三轮车，没有开具暂扣清单。',
      township: '梅湾街道', subject: '城管',
    })).json();
    const assigned = await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban' }, bureau);
    expect(assigned.status).toBe(200);
    expect(assigned.headers.get('cache-control')).toBe('no-store');
    const answer = JSON.stringify(await assigned.json());
    expect(answer).not.toMatch(/刘德明|13911112222|139-1111-2222/);

    const res = await t.get(`/api/leads/${leadId}`, urban);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const view = await res.json();
    expect(view.reports[0].reporter).toMatchObject({ name: '保密', phone: '保密', confidential: true });
    expect(view.title).toBe('保密反映城管执法人员暴力没收三轮车');
    expect(view.content).toContain('我叫保密，电话保密，');
    for (const token of [urban, viewer]) {
      const text = JSON.stringify(await (await t.get(`/api/leads/${leadId}`, token)).json())
        + JSON.stringify(await (await t.get(`/api/leads/${leadId}/events`, token)).json())
        + JSON.stringify(await (await t.get('/api/leads', token)).json());
      expect(text).not.toMatch(/刘德明|刘\*\*|13911112222|139\*\*\*\*2222|1111-2222/);
    }
    const outbox = await t.database.db.selectFrom('outbox').select('message').where('lead_id', '=', leadId).execute();
    expect(outbox.length).toBeGreaterThan(0);
    for (const m of outbox) {
      expect(m.message).toContain('保密反映');
      expect(m.message).not.toMatch(/刘德明|13911112222/);
    }
    // The bureau reads it whole, and that read is recorded.
    const whole = await (await t.get(`/api/leads/${leadId}`, bureau)).json();
    expect(whole.reports[0].reporter).toMatchObject({ name: '刘德明', phone: '13911112222' });
    expect(whole.content).toContain('我叫刘德明，电话139-1111-2222');
  });

  it('explains a merge on a shared phone as 相同联系方式, never with the number', async () => {
    const text = '永昌路口有交警在不设警示牌的弯道处用手持测速仪测速罚款，一天罚了几十辆车，车主要求说明依据。联系电话13722223333。';
    const a = await (await t.deliver('hotline', { orderNo: 'GD-PHONE-1', createdAt: '2026-03-02T09:15:00+08:00', title: '交警弯道偷拍测速罚款', content: text, subject: '交警' })).json();
    const b = await (await t.deliver('hotline', { orderNo: 'GD-PHONE-2', createdAt: '2026-03-02T11:15:00+08:00', title: '交警在弯道偷偷测速罚款', content: `再次反映：${text}`, subject: '交警' })).json();
    expect(b).toMatchObject({ leadId: a.leadId, duplicate: true });
    const events = (await (await t.get(`/api/leads/${a.leadId}/events`, bureau)).json()).items;
    const merged = events.find((e: Json) => e.action === 'lead.report-merged');
    expect(merged.data.why).toContain('相同联系方式');
    expect(merged.data.why).not.toContain('13722223333');
    const stored = await t.database.db.selectFrom('events').select('data').where('lead_id', '=', a.leadId).execute();
    expect(stored.map((e) => e.data).join()).not.toContain('13722223333相同');
    expect(stored.filter((e) => e.data.includes('"why"')).map((e) => e.data).join()).not.toContain('13722223333');
  });

  it('masks an explanation stored with the number before, for everyone but the bureau', async () => {
    const { leadId } = await (await t.deliver('hotline', {
      orderNo: 'GD-OLD-1', createdAt: '2026-03-02T09:15:00+08:00', title: '梅湾街道夜市油烟扰民', content: '梅湾街道夜市烧烤油烟扰民，城管不管。', subject: '城管',
    })).json();
    await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban' }, bureau);
    await write(t.database.db, async (_tx, rec) => rec.record({
      leadId, actor: 'system:dedupe', action: 'lead.report-merged', at: t.clock.now().toISOString(),
      data: { score: 0.9, why: '综合得分0.90；相同联系方式或单号：13655556666' },
    }));
    const masked = JSON.stringify(await (await t.get(`/api/leads/${leadId}/events`, urban)).json());
    expect(masked).toContain('相同联系方式或单号：136****6666');
    expect(masked).not.toContain('13655556666');
    expect(JSON.stringify(await (await t.get(`/api/leads/${leadId}/events`, bureau)).json())).toContain('13655556666');
  });
});
