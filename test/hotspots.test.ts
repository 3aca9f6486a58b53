// Hotspots (热点提示) on both databases with a fixed clock: 97 days of history (written straight
// into the leads table: the rule reads only that table and assignments), then a burst of real
// webhooks about one township. The burst is flagged, the steady township/agency/field is not; the
// dashboard says so with the leads and a prefilled campaign form, which opens a campaign that the
// sweep fills; the bureau's daily 热点提示 mail arrives at a real SMTP server, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentHotspots } from '../src/app/hotspots.ts';
import { sweepAndDeliver } from '../src/jobs/index.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { signInAs, type PageUser } from './helpers/pages.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtpSink.ts';
import { local, NOW, PUBLIC, seedHotspots } from './hotspots-dataset.ts';


describe.each(await dialects())('hotspots on %s', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let bureau: PageUser;
  let viewer: PageUser;
  const burst: string[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await testApp(dialect, { env: { SMTP_URL: sink.url, XIANSUO_PUBLIC_URL: PUBLIC }, now: NOW });
    burst.push(...await seedHotspots(t));
    t.clock.set(NOW);
    bureau = await signInAs(t, await t.token('bureau'));
    viewer = await signInAs(t, await t.token('viewer'));
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('flags the burst and not the steady rate', async () => {
    const r = await currentHotspots(t.deps);
    expect(r).toMatchObject({ today: '2026-06-10', windowFrom: '2026-06-04', baselineFrom: '2026-03-06', coveredDays: 90 });
    const keys = r.hotspots.map((h) => `${h.dimension}:${h.key}`);
    expect(keys).toContain('township:凤凰街道');
    // 梅湾街道: 7 in the window against 90 in 90 days, as usual; so are urban and 城市管理.
    expect(keys).not.toContain('township:梅湾街道');
    expect(keys).not.toContain('agency:urban');
    expect(keys).not.toContain('domain:城市管理');
    const h = r.hotspots.find((x) => x.key === '凤凰街道')!;
    expect(h).toMatchObject({ recent: 6, baseline: 6, label: '乡镇街道：凤凰街道' });
    expect(h.expected).toBeCloseTo(6 * 7 / 90, 10);
    expect(h.probability).toBeLessThan(0.001);
    expect(h.leads.map((l) => l.id).sort()).toEqual([...burst].sort());
    expect(h.figures).toBe('近 7 天 6 件，按往常应为约 0.5 件，为往常的 12.9 倍（此前 90 天共 6 件）');
  });

  it('shows it on the dashboard with the rule, the figures, the leads and the campaign form', async () => {
    const page = await (await bureau.get('/')).text();
    expect(page).toContain('<h2 id="hotspots-h">热点提示</h2>');
    expect(page).toContain('某一单位、执法领域或乡镇街道近 7 天的线索不少于 5 件');
    expect(page).toContain('乡镇街道：凤凰街道');
    expect(page).toContain('近 7 天 6 件，按往常应为约 0.5 件');
    for (const id of burst) expect(page).toContain(`/leads/${id}`);
    expect(page).not.toContain('梅湾街道占道经营');
    const queueHref = /href="(\/leads\?township=[^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
    expect(queueHref).toBe(`/leads?township=${encodeURIComponent('凤凰街道')}&from=2026-06-04&to=2026-06-10`);
    const queue = await (await bureau.get(queueHref)).text();
    expect(queue).toContain('共 6 条');

    const formHref = /href="(\/campaigns\/new\?[^"]+)"[^>]*>开设专项整治/.exec(page)![1]!.replace(/&amp;/g, '&');
    const form = await (await bureau.get(formHref)).text();
    expect(form).toContain('value="凤凰街道问题线索专项整治"');
    expect(form).toMatch(/name="keywords" type="text" maxlength="500" value="凤凰街道"/);
    expect(form).toContain('name="startsOn" type="date" required="" value="2026-06-04"');
    expect(form).toContain('name="endsOn" type="date" required="" value="2026-09-08"');

    // A viewer sees the hotspot but is not offered the campaign.
    const seen = await (await viewer.get('/')).text();
    expect(seen).toContain('乡镇街道：凤凰街道');
    expect(seen).not.toContain('开设专项整治');
    expect((await viewer.get(formHref)).status).toBe(403);
  });

  it('opens the campaign from the form; the sweep tags the burst, and its page agrees with its figures', async () => {
    const params = new URL(`http://x${/href="(\/campaigns\/new\?[^"]+)"/.exec(await (await bureau.get('/')).text())![1]!.replace(/&amp;/g, '&')}`).searchParams;
    const res = await bureau.post('/campaigns', Object.fromEntries(params));
    expect(res.status).toBe(303);
    const path = res.headers.get('location')!.split('?')[0]!;
    const bad = await bureau.post('/campaigns', { ...Object.fromEntries(params), endsOn: '2026-01-01' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('结束日期不能早于开始日期');

    await sweepAndDeliver(t.deps, t.clock.now());
    const page = await (await bureau.get(path)).text();
    expect(page).toContain('归集的线索（6 条）');
    for (const id of burst) expect(page).toContain(`/leads/${id}`);
    // Tagged by the rule: said once above the list, not on every lead; none marked as added by hand.
    expect(page).toContain('均由规则自动归集');
    expect(page.match(/· 手动归集/g)).toBeNull();
    const api = await (await t.get(`/api${path}`)).json();
    expect(api).toMatchObject({ leads: 6, stats: { leads: 6, byTownship: { 凤凰街道: 6 } } });
  });

  it('mails the bureau one 热点提示 with the day\'s digests, naming it', async () => {
    const hot = () => sink.messages.filter((m) => String(m.parsed.headers.get('x-xiansuo-key')).startsWith('hotspots:'));
    await sweepAndDeliver(t.deps, t.clock.now());
    await expect.poll(() => hot().length).toBe(1);
    const [mail] = hot();
    expect(String(mail!.parsed.headers.get('x-xiansuo-key'))).toBe('hotspots:2026-06-10');
    expect(mail!.to).toEqual(['jiandu@example.gov.cn']);
    expect(mail!.parsed.subject).toBe('【热点提示】2026年6月10日：1 处问题线索明显多于往常');
    const text = mail!.parsed.text!;
    expect(text).toContain('1. 乡镇街道：凤凰街道');
    expect(text).toContain('近 7 天 6 件，按往常应为约 0.5 件');
    for (const id of burst) expect(text).toContain(`${PUBLIC}/leads/${id}`);
    expect(text).toContain(`查看全部 6 条：${PUBLIC}/leads?township=`);
    expect(text).toContain(`开设专项整治：${PUBLIC}/campaigns/new?`);
    expect(text).not.toContain('1390000000'); // the callers' phones never travel
    await sweepAndDeliver(t.deps, new Date(local('2026-06-10T15:00:00')));
    expect(hot()).toHaveLength(1);
  });
});
