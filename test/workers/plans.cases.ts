// Inside workerd (run from workerd.test.ts): the writes that became plans after intake and the
// transitions (issue 13) work through the worker's HTTP API on D1, each as one batch: merge and
// unmerge with the family recounted, a campaign opened with a lead tagged by hand and closed,
// publication and its withdrawal, and a calendar edit that counts a provisional deadline again.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './shared.ts';

const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const api = (method: string, path: string, body?: unknown) =>
  SELF.fetch(`http://xiansuo.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
const json = async (res: Response) => ({ status: res.status, body: await res.json() as Record<string, unknown> });

async function newLead(title: string, content: string): Promise<string> {
  const res = await json(await api('POST', '/api/leads', { title, content }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

async function actions(leadId: string | null, action: string): Promise<number> {
  const row = leadId === null
    ? await env.DB.prepare('select count(*) as n from events where action = ?').bind(action).first<{ n: number }>()
    : await env.DB.prepare('select count(*) as n from events where action = ? and lead_id = ?').bind(action, leadId).first<{ n: number }>();
  return Number(row?.n ?? 0);
}

describe('plans through the worker API on D1', () => {
  it('merges a lead into another and unmerges it: the target counts both families, then its own again', async () => {
    // Texts no routing rule claims: both leads wait in triage for a person.
    const a = await newLead('办事窗口推诿', '来访人反映：某单位工作人员办事推诿，多次前往均未办结。');
    const b = await newLead('排队时间过长', '来访人反映：大厅只开一个窗口，群众排队两个小时无人过问。');
    const states = await env.DB.prepare('select status from leads where id in (?, ?)').bind(a, b).all<{ status: string }>();
    expect(states.results.map((r) => r.status)).toEqual(['triage', 'triage']);
    const merged = await json(await api('POST', `/api/leads/${b}/merge`, { into: a }));
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ id: b, status: 'merged', mergedInto: a });
    const target = (await json(await api('GET', `/api/leads/${a}`))).body;
    expect(target).toMatchObject({ reportCount: 2, channels: ['bureau'] });
    expect((target.reports as unknown[]).length).toBe(2);
    expect(await actions(a, 'lead.merge.received')).toBe(1);

    const refused = await api('POST', `/api/leads/${a}/merge`, { into: b });
    expect(refused.status).toBe(409); // into a merged lead: nothing changes
    const unmerged = await json(await api('POST', `/api/leads/${b}/unmerge`, {}));
    expect(unmerged.status, JSON.stringify(unmerged.body)).toBe(200);
    expect(unmerged.body).toMatchObject({ id: b, status: 'triage', mergedInto: null, reportCount: 1 });
    expect((await json(await api('GET', `/api/leads/${a}`))).body).toMatchObject({ reportCount: 1 });
    const versions = await env.DB.prepare('select id, version from leads where id in (?, ?)').bind(a, b).all<{ id: string; version: number }>();
    // Merge and unmerge each moved both leads' versions once.
    expect(versions.results.every((r) => Number(r.version) >= 2)).toBe(true);
  });

  it('opens a campaign, tags a lead by hand (once), untags it and closes the campaign', async () => {
    const lead = await newLead('交通执法人员随意扣车', '来访人反映：交通执法人员在凤凰路随意扣押货车，要求现场缴纳罚款。');
    const opened = await json(await api('POST', '/api/campaigns', {
      name: '交通运输执法领域专项整治（D1）', domain: '交通运输', startsOn: '2026-03-01', endsOn: '2026-06-30', callText: '公开征集交通运输执法领域问题线索。',
    }));
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = String(opened.body.id);
    expect(await actions(null, 'campaign.opened')).toBeGreaterThanOrEqual(1);
    expect((await json(await api('POST', `/api/campaigns/${id}/leads/${lead}`))).body).toEqual({ changed: true });
    expect((await json(await api('POST', `/api/campaigns/${id}/leads/${lead}`))).body).toEqual({ changed: false });
    expect((await json(await api('GET', `/api/campaigns/${id}`))).body).toMatchObject({ leads: 1 });
    expect(await actions(lead, 'campaign.tagged')).toBe(1);
    expect((await json(await api('DELETE', `/api/campaigns/${id}/leads/${lead}`))).body).toEqual({ changed: true });
    expect((await json(await api('GET', `/api/campaigns/${id}`))).body).toMatchObject({ leads: 0 });
    const closed = await json(await api('POST', `/api/campaigns/${id}/close`));
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed' });
    expect((await api('POST', `/api/campaigns/${id}/close`)).status).toBe(409);
  });

  it('publishes a closed lead with a masked summary, updates it and withdraws it', async () => {
    const lead = await newLead('市场监管执法人员吃拿卡要', '来访人反映：市场监管执法人员检查时索要烟酒。');
    expect((await api('POST', `/api/leads/${lead}/publish`, { summary: '已核实。' })).status).toBe(409); // not closed yet
    expect((await api('POST', `/api/leads/${lead}/close`, { reason: '经核实已处理完毕' })).status).toBe(200);
    const published = await json(await api('POST', `/api/leads/${lead}/publish`, { summary: '经核实属实，已责令整改。联系电话 13912345678。' }));
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ leadId: lead, status: 'published' });
    expect(String(published.body.summary)).not.toContain('13912345678');
    const again = await json(await api('POST', `/api/leads/${lead}/publish`, { summary: '经核实属实，已责令整改并通报。' }));
    expect(again.body).toMatchObject({ status: 'published', publishedAt: published.body.publishedAt });
    expect((await json(await api('POST', `/api/leads/${lead}/unpublish`, { reason: '当事人申请' }))).body).toMatchObject({ status: 'withdrawn' });
    expect([await actions(lead, 'lead.published'), await actions(lead, 'lead.publication.updated'), await actions(lead, 'lead.unpublished')]).toEqual([1, 1, 1]);
    const row = await env.DB.prepare('select status from publications where lead_id = ?').bind(lead).first<{ status: string }>();
    expect(row?.status).toBe('withdrawn');
  });

  it('saves a year of the calendar and counts a provisional deadline again on it', async () => {
    const lead = await newLead('叫号系统故障', '来访人反映：办证大厅叫号系统经常故障，群众只能反复取号。');
    expect((await api('POST', `/api/leads/${lead}/assign`, { agency: 'urban' })).status).toBe(200);
    expect((await env.DB.prepare('select count(*) as n from assignments where lead_id = ?').bind(lead).first<{ n: number }>())?.n).toBe(1);
    // A deadline counted into 2027, which the calendar does not cover yet: provisional.
    const anchors = { due: { from: '2026-12-20T02:00:00.000Z', workingDays: 15 } };
    await env.DB.prepare("update assignments set calendar_provisional = 1, due_at = '2027-01-12T15:59:59.999Z', detail = ? where lead_id = ?")
      .bind(JSON.stringify({ anchors }), lead).run();
    const provisional = await env.DB.prepare("select count(*) as n from assignments where calendar_provisional = 1 and status != 'closed'").first<{ n: number }>();
    const saved = await json(await api('PUT', '/api/calendar/2027', { published: true, days: { '2027-01-01': 'rest', '2027-01-04': 'rest' } }));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body, JSON.stringify(saved.body)).toMatchObject({ year: 2027, recomputedAssignments: Number(provisional!.n) });
    const a = await env.DB.prepare('select calendar_provisional, due_at, deadline_version from assignments where lead_id = ?').bind(lead).first<Record<string, unknown>>();
    expect(a).toMatchObject({ calendar_provisional: 0 });
    expect(a!.due_at).not.toBe('2027-01-12T15:59:59.999Z');
    expect(await actions(lead, 'deadline.recomputed')).toBe(1);
    expect((await json(await api('GET', '/api/calendar/2027'))).body).toMatchObject({ overrides: { year: 2027, published: true } });
    // Saved again unchanged: nothing provisional is left to count.
    expect((await json(await api('PUT', '/api/calendar/2027', { published: true, days: { '2027-01-01': 'rest', '2027-01-04': 'rest' } }))).body)
      .toMatchObject({ recomputedAssignments: 0 });
  });
});
