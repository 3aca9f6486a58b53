// Routing through the API (issue 4): explain stores nothing, new leads carry routing and
// classification, automatic dispatch assigns confident ones, corrections show in the statistics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const count = async (t: TestApp, table: 'leads' | 'events') =>
  Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe.each(await dialects())('routing API on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  beforeAll(async () => {
    t = await testApp(dialect, { env: { XIANSUO_AUTO_DISPATCH: 'on' } });
    bureau = await t.token('bureau');
  });
  afterAll(async () => { await t.close(); });

  it('explains a decision with candidates and fired rules, storing nothing', async () => {
    const before = [await count(t, 'leads'), await count(t, 'events')];
    const res = await t.post('/api/routing/explain', {
      title: '执法人员收受红包后对超载货车放行', content: '监督员反映：区交通运输局执法大队人员在路检时收受司机红包，对超限超载货车一律放行。',
    }, bureau);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ agency: 'transport', transfer: 'discipline' });
    expect(r.candidates[0]).toMatchObject({ agency: 'transport', rules: expect.any(Array) });
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.reason).toContain('交通运输');
    expect([await count(t, 'leads'), await count(t, 'events')]).toEqual(before);
    expect((await t.post('/api/routing/explain', { title: 'x' }, bureau)).status).toBe(422);
    expect((await t.post('/api/routing/explain', { content: 'x' }, await t.token('agency', { agency: 'urban' }))).status).toBe(403);
  });

  it('routes a new lead, classifies it, and dispatches it at once when confident', async () => {
    const { leadId } = await (await t.deliver('hotline', hotline.valid)).json();
    const lead = await (await t.get(`/api/leads/${leadId}`, bureau)).json();
    expect(lead.routing).toMatchObject({ agency: 'urban', transfer: null });
    expect(lead.domain).toBe('城市管理');
    expect(lead.problemTypes).toEqual(expect.arrayContaining(['简单粗暴执法']));
    expect(lead.status).toBe('assigned');
    expect(lead.assignments[0]).toMatchObject({ agency: 'urban', role: 'primary', status: 'assigned' });
    const events = (await (await t.get(`/api/leads/${leadId}/events`, bureau)).json()).items.map((e: { action: string }) => e.action);
    expect(events).toEqual(expect.arrayContaining(['lead.routed', 'lead.assigned']));
    const outbox = await t.database.db.selectFrom('outbox').select('key').where('lead_id', '=', leadId).execute();
    expect(outbox.map((o) => o.key)).toEqual([expect.stringMatching(/^assign:/)]);
  });

  it('leaves a proposed transfer and a weak match in triage for the bureau', async () => {
    const transfer = await (await t.deliver('hotline', {
      ...hotline.valid, orderNo: 'GD-TRANSFER-1', title: '执法队员索要好处费', subject: undefined,
      content: '来电人反映交通执法人员向货车司机索要好处费，不给就扣车，涉嫌吃拿卡要。', township: undefined, address: undefined,
    })).json();
    const a = await (await t.get(`/api/leads/${transfer.leadId}`, bureau)).json();
    expect(a.routing.transfer).toBe('discipline');
    expect(a.status).toBe('triage');
    const weak = await (await t.deliver('hotline', {
      orderNo: 'GD-WEAK-1', createdAt: hotline.valid.createdAt, title: '咨询', content: '请问办事大厅几点上班？',
    })).json();
    const b = await (await t.get(`/api/leads/${weak.leadId}`, bureau)).json();
    expect(b.routing.agency).toBeNull();
    expect(b.status).toBe('triage');
  });

  it('records a person choosing another agency, and shows the rules\' accuracy in the statistics', async () => {
    const manualApp = await testApp(dialect, { env: { XIANSUO_AUTO_DISPATCH: 'off' } });
    try {
      const b = await manualApp.token('bureau');
      const kept = await (await manualApp.post('/api/leads', { title: '梅湾街道夜市摊贩占道经营', content: '来访群众反映梅湾路夜市摊贩占道经营，城管不管。' }, b)).json();
      const moved = await (await manualApp.post('/api/leads', { title: '珊瑚街道烧烤摊油烟扰民', content: '来访群众反映珊瑚街道滨江小区楼下烧烤摊占道经营，油烟扰民，城管不管。' }, b)).json();
      expect([kept.status, kept.routing.agency, moved.routing.agency]).toEqual(['triage', 'urban', 'urban']);
      expect((await manualApp.post(`/api/leads/${kept.id}/assign`, { agency: 'urban' }, b)).status).toBe(200);
      expect((await manualApp.post(`/api/leads/${moved.id}/assign`, { agency: 'ecology' }, b)).status).toBe(200);
      const events = (await (await manualApp.get(`/api/leads/${moved.id}/events`, b)).json()).items;
      expect(events.find((e: { action: string }) => e.action === 'routing.corrected').data).toEqual({ proposed: 'urban', chosen: 'ecology' });
      const s = await (await manualApp.get('/api/stats', b)).json();
      expect(s.routing).toMatchObject({ decided: 2, agreed: 1, accuracy: 0.5 });
      // Worst first: a rule behind only the overruled proposal leads the list.
      expect(s.routing.rules[0]).toMatchObject({ kept: 0, accuracy: 0 });
      expect(s.routing.rules.some((r: { kept: number }) => r.kept > 0)).toBe(true);
    } finally {
      await manualApp.close();
    }
  });

  it('counts the period in GET /api/stats', async () => {
    const res = await t.get('/api/stats?from=2026-01-01&to=2026-12-31', bureau);
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s.leads).toBe(3);
    expect(s.byChannel.hotline).toBeGreaterThanOrEqual(3);
    expect(s.transfersProposed.discipline).toBe(1);
    expect(s.agencies.urban.assigned).toBeGreaterThanOrEqual(1);
    expect(s.routing.decided).toBeGreaterThanOrEqual(1);
    expect(s.routing.rules.length).toBeGreaterThan(0);
    expect((await t.get('/api/stats?from=2026-13-01', bureau)).status).toBe(422);
  });
});
