// The pages' lists and forms through app.request() on both databases: the queue's filters and
// paging, the dashboard's counts, 交办 with a refused input kept, 签收, 申请延期 and its 批准,
// 合并 and 拆分, 移送 — each calling the same use case as the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as supervisor } from '../webhooks/supervisor.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { signInAs, type PageUser } from './helpers/pages.ts';

describe.each(await dialects())('page forms and lists on %s', (dialect) => {
  let t: TestApp;
  let a: string; // 梅湾街道, hotline
  let b: string; // 凤凰街道, hotline, 渣土车
  let c: string; // 伊塘镇, supervisor
  let bureau: PageUser;
  let urban: PageUser;

  const html = async (res: Response | Promise<Response>) => (await res).text();
  const api = async (id: string) => (await t.get(`/api/leads/${id}`)).json();
  const listed = async (query: string) => {
    const page = await html(bureau.get(`/leads${query}`));
    return [a, b, c].filter((id) => page.includes(`href="/leads/${id}"`));
  };
  const count = (page: string, label: string) => Number(new RegExp(`<strong>(\\d+)</strong>${label}`).exec(page)?.[1]);

  beforeAll(async () => {
    t = await testApp(dialect);
    a = (await (await t.deliver('hotline', hotline.valid)).json()).leadId;
    b = (await (await t.deliver('hotline', hotline.urgent)).json()).leadId;
    c = (await (await t.deliver('supervisor', supervisor.valid)).json()).leadId;
    bureau = await signInAs(t, await t.token('bureau'));
    urban = await signInAs(t, await t.token('agency', { agency: 'urban' }));
  });
  afterAll(async () => { await t.close(); });

  it('filters the queue by township, channel, search, status and dates', async () => {
    expect(await listed('')).toEqual([a, b, c]);
    expect(await listed('?township=梅湾街道')).toEqual([a]);
    expect(await listed('?channel=supervisor')).toEqual([c]);
    expect(await listed(`?q=${encodeURIComponent('渣土车')}`)).toEqual([b]);
    expect(await listed(`?q=${c}`)).toEqual([c]);
    expect(await listed('?status=triage')).toEqual([a, b, c]);
    expect(await listed('?status=closed')).toEqual([]);
    expect(await listed('?from=2026-03-02&to=2026-03-02')).toEqual([a, b, c]);
    expect(await listed('?from=2026-03-03')).toEqual([]);
    const bad = await html(bureau.get('/leads?from=2026-13-45'));
    expect(bad).toContain('格式不正确');
  });

  it('keeps what was typed when 交办 is refused, then 交办s', async () => {
    const refused = await bureau.post(`/leads/${a}/assign`, { agency: 'urban', workingDays: 'abc' });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain('工作日数须为数字');
    expect(page).toContain('value="abc"');
    expect((await api(a)).status).toBe('triage');
    const done = await bureau.post(`/leads/${a}/assign`, { agency: 'urban' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/leads/${a}?done=assign`);
    expect(await html(bureau.get(done.headers.get('location')!))).toContain('已交办');
    expect((await api(a)).assignments[0].agency).toBe('urban');
    expect(await listed('?agency=urban')).toEqual([a]);
  });

  it('lets the agency 签收 and 申请延期, and the bureau 批准 it from the dashboard\'s list', async () => {
    expect((await urban.post(`/leads/${a}/acknowledge`, {})).status).toBe(303);
    const before = (await api(a)).assignments[0].dueAt;
    const asked = await urban.post(`/leads/${a}/extension`, { workingDays: '5', reason: '需要协调多个部门' });
    expect(asked.status).toBe(303);
    const home = await html(bureau.get('/'));
    expect(count(home, '延期申请')).toBe(1);
    expect(await listed('?extension=pending')).toEqual([a]);
    const lead = await html(bureau.get(`/leads/${a}`));
    expect(lead).toContain('需要协调多个部门');
    expect((await bureau.post(`/leads/${a}/extension-decision`, { approve: 'true' })).status).toBe(303);
    const after = (await api(a)).assignments[0].dueAt;
    expect(after > before).toBe(true);
    expect(count(await html(bureau.get('/')), '延期申请')).toBe(0);
  });

  it('counts and lists overdue leads, and marks them on the agency\'s list', async () => {
    expect(count(await html(bureau.get('/')), '已超期')).toBe(0);
    const due = (await api(a)).assignments[0].dueAt as string;
    const now = t.clock.now().toISOString();
    t.clock.set(new Date(Date.parse(due) + 60_000).toISOString());
    try {
      const fresh = await signInAs(t, await t.token('bureau'));
      expect(count(await html(fresh.get('/')), '已超期')).toBe(1);
      const overdue = await html(fresh.get('/leads?overdue=true'));
      expect(overdue).toContain(`href="/leads/${a}"`);
      expect(overdue).not.toContain(`href="/leads/${b}"`);
      const agency = await signInAs(t, await t.token('agency', { agency: 'urban' }));
      const mine = await html(agency.get('/'));
      expect(mine).toContain('class="overdue"');
      expect(mine).toMatch(/超期 \d+ 个工作日|已超期/);
    } finally {
      t.clock.set(now);
    }
  });

  it('合并s a lead into another and 拆分s it again from the surviving lead\'s page', async () => {
    const merged = await bureau.post(`/leads/${b}/merge`, { into: c });
    expect(merged.status).toBe(303);
    expect((await api(b)).status).toBe('merged');
    const page = await html(bureau.get(`/leads/${c}`));
    expect(page).toContain('已合并的线索');
    expect(page).toContain(`action="/leads/${b}/unmerge"`);
    const split = await bureau.post(`/leads/${b}/unmerge`, { back: c });
    expect(split.status).toBe(303);
    expect(split.headers.get('location')).toBe(`/leads/${c}?done=unmerge`);
    expect((await api(b)).status).toBe('triage');
  });

  it('移送s to the judicial organs (两法衔接)', async () => {
    const res = await bureau.post(`/leads/${b}/transfer`, { to: 'judicial', note: '涉嫌收受财物，移送司法机关' });
    expect(res.status).toBe(303);
    const lead = await api(b);
    expect(lead.status).toBe('transferred');
    expect(lead.routing.transfer).toBe('judicial');
  });

  it('refuses an action the role may not take, beside the form', async () => {
    const res = await urban.post(`/leads/${a}/review`, { decision: 'approve' });
    expect([403, 409]).toContain(res.status);
    expect(await res.text()).toContain('class="error"');
  });

  it('shows a supervisor its own lead\'s progress only, and another lead as 404', async () => {
    const s07 = await signInAs(t, await t.token('supervisor', { supervisorId: 'S07' }));
    const own = await s07.get(`/leads/${c}`);
    expect(own.status).toBe(200);
    const page = await own.text();
    expect(page).toContain('监督员 S07');
    expect(page).not.toContain('全过程记录');
    expect(page).not.toContain('分办建议');
    expect((await s07.get(`/leads/${a}`)).status).toBe(404);
    expect(await html(s07.get('/'))).toContain(`href="/leads/${c}"`);
    expect((await s07.get('/leads')).status).toBe(303); // no queue for supervisors
  });

  it('pages the queue on the server, 20 a page', async () => {
    // Texts that share nothing, so that de-duplication keeps them apart.
    const words = (n: number) => Array.from({ length: n }, () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 20_000))).join('');
    for (let i = 0; i < 20; i++) {
      const res = await t.post('/api/leads', { title: words(12), content: words(60) }, undefined);
      expect(res.status).toBe(201);
    }
    const first = await html(bureau.get('/leads'));
    expect(first).toContain('共 23 条');
    expect(first).toContain('第 1 / 2 页');
    expect((first.match(/<li class="[^"]*"><div class="title">/g) ?? []).length).toBe(20);
    const second = await html(bureau.get('/leads?page=2'));
    expect((second.match(/<li class="[^"]*"><div class="title">/g) ?? []).length).toBe(3);
    expect(second).toContain('上一页');
  });
});
