// Campaigns tag the leads that arrive while they are open (issue 15, item 5), on both databases:
// a lead that arrives after the campaign opened and matches its rule is tagged by the next sweep
// and counted in its figures; one that does not match, or arrives after the period, is not; a
// lead untagged by hand stays out; a closed campaign tags nothing new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAndDeliver } from '../src/jobs/index.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { signInAs } from './helpers/pages.ts';

const local = (s: string) => new Date(`${s}+08:00`).toISOString();

describe.each(await dialects())('campaign tagging on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let id: string;
  const leads: Record<string, string> = {};

  const report = async (key: string, when: string, title: string, content: string) => {
    t.clock.set(local(when));
    const res = await t.deliver('hotline', { orderNo: `GD-TAG-${key}`, createdAt: t.clock.now().toISOString(), caller: { phone: '13900001111' }, title, content });
    expect(res.status).toBe(202);
    leads[key] = (await res.json()).leadId;
  };
  const sweepAt = (when: string) => {
    t.clock.set(local(when));
    return sweepAndDeliver(t.deps, t.clock.now());
  };
  const view = async () => (await t.get(`/api/campaigns/${id}`, bureau)).json();
  const events = async (lead: string) => (await (await t.get(`/api/leads/${lead}/events`, bureau)).json()).items as { action: string; actor: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    t = await testApp(dialect, { now: local('2026-03-02T09:00:00') });
    bureau = await t.token('bureau');
    const res = await t.post('/api/campaigns', {
      name: '道路运输执法专项整治', keywords: ['扣车', '扣押车辆'], startsOn: '2026-03-01', endsOn: '2026-03-31',
      callText: '公开征集道路运输执法领域问题线索。',
    }, bureau);
    expect(res.status).toBe(201);
    id = (await res.json()).id;
  }, 60_000);
  afterAll(async () => { await t.close(); });

  it('tags a matching lead that arrives after the campaign opened, on the next sweep, and counts it', async () => {
    await report('A', '2026-03-02T10:00:00', '货车在高速出口被扣车', '司机反映在高速出口被运政人员扣车三天，没有任何书面手续。');
    await report('B', '2026-03-02T10:05:00', '小区门口夜市噪音大', '小区门口夜市每天营业到凌晨，噪音很大，希望有关部门管一管。');
    expect((await view()).leads).toBe(0);
    const swept = await sweepAt('2026-03-02T10:10:00');
    expect(swept.campaignTagged).toBe(1);
    const v = await view();
    expect(v.leads).toBe(1);
    expect(v.stats.leads).toBe(1);
    expect((await events(leads.A!)).at(-1)).toMatchObject({ action: 'campaign.tagged', actor: 'system:sweep', data: { campaign: id, via: 'rule' } });
    expect((await events(leads.B!)).some((e) => e.action === 'campaign.tagged')).toBe(false);
    expect((await sweepAt('2026-03-02T10:15:00')).campaignTagged).toBe(0); // nothing twice
  });

  it('keeps a lead untagged by hand out, until it is tagged by hand again', async () => {
    const del = await t.app.request(`/api/campaigns/${id}/leads/${leads.A}`, { method: 'DELETE', headers: { authorization: `Bearer ${bureau}` } });
    expect(await del.json()).toEqual({ changed: true });
    expect((await sweepAt('2026-03-02T10:20:00')).campaignTagged).toBe(0);
    expect((await view()).leads).toBe(0);
    expect(await (await t.post(`/api/campaigns/${id}/apply`, {}, bureau)).json()).toEqual({ matched: 1, added: 0 });
    expect((await view()).leads).toBe(0);
    expect(await (await t.post(`/api/campaigns/${id}/leads/${leads.A}`, {}, bureau)).json()).toEqual({ changed: true });
    expect((await view()).leads).toBe(1);
    // Its page marks the lead as added by hand (rule-tagged leads carry no mark).
    const page = await (await signInAs(t, bureau)).get(`/campaigns/${id}`);
    expect(await page.text()).toMatch(new RegExp(`${leads.A}[^<]*· 手动归集`));
  });

  it('does not tag a matching lead that arrives after its period', async () => {
    await report('C', '2026-04-02T09:00:00', '出租车被扣押车辆半个月', '出租车司机称车辆被扣押车辆半个月仍未处理，影响营运。');
    expect((await sweepAt('2026-04-02T09:10:00')).campaignTagged).toBe(0);
    expect((await view()).leads).toBe(1);
  });

  it('tags nothing new once closed', async () => {
    // Registered in the period, closed before any sweep saw it.
    await report('D', '2026-03-20T09:00:00', '农用车在乡道被扣车', '农户的农用三轮车在乡道检查时被扣车，执法人员未出示证件。');
    t.clock.set(local('2026-03-20T09:01:00'));
    expect((await t.post(`/api/campaigns/${id}/close`, {}, bureau)).status).toBe(200);
    expect((await sweepAt('2026-03-20T09:05:00')).campaignTagged).toBe(0);
    const v = await view();
    expect(v.leads).toBe(1);
    expect(v.stats.leads).toBe(1);
  });
});
