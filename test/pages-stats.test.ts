// The signed-in statistics page on both databases, through app.request() with a session: the
// same numbers as GET /api/stats for the fixed data set, the scorecard's sort links, the period
// form's error, the annual report page, the downloads through the session equal to the API's,
// and no statistics for an agency.
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { signInAs, type PageUser } from './helpers/pages.ts';
import { buildDataset } from './stats-dataset.ts';

const NOW = '2026-04-20T01:00:00.000Z';
const PERIOD = 'from=2026-01-01&to=2026-12-31';

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&nbsp;/g, ' ').trim();
/** The rows of the table in the page's section `id`: each row's cells as text. */
function rowsOf(page: string, id: string): string[][] {
  const section = new RegExp(`<section[^>]*id="${id}"[\\s\\S]*?</section>`).exec(page)?.[0] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1]!)));
}
const entries = (zip: ArrayBuffer) => {
  const files = unzipSync(new Uint8Array(zip));
  delete files['docProps/core.xml']; // the time it was written
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
};

describe.each(await dialects())('the statistics page on %s', (dialect) => {
  let t: TestApp;
  let viewer: string;
  let user: PageUser;
  let json: any;
  let page: string;

  beforeAll(async () => {
    t = await testApp(dialect);
    await buildDataset(t);
    t.clock.set(NOW);
    viewer = await t.token('viewer');
    user = await signInAs(t, viewer);
    json = await (await t.get(`/api/stats?${PERIOD}`, viewer)).json();
    const res = await user.get(`/stats?${PERIOD}`);
    expect(res.status).toBe(200);
    page = await res.text();
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('shows the same numbers as GET /api/stats, as tables beside the charts', () => {
    const overview = new Map(rowsOf(page, 'overview').map((r) => [r[0], r.slice(1)]));
    expect(overview.get('收到问题线索（条）')).toEqual([String(json.leads), '—']);
    expect(overview.get('来件（件次）')).toEqual([String(json.reports), '—']);
    expect(overview.get('办结（条）')).toEqual([String(json.handling.closed), '28.6%']);
    expect(overview.get('按时签收（次）')).toEqual([String(json.handling.acknowledgedOnTime), '66.7%']);
    expect(overview.get('平均整改用时（工作日）')).toEqual(['12.7', '—']);
    expect(rowsOf(page, 'channel')).toEqual([['12345热线', '5', '71.4%'], ['新闻媒体', '2', '28.6%'], ['社会监督员', '1', '14.3%']]);
    expect(Object.fromEntries(rowsOf(page, 'township').map((r) => [r[0], Number(r[1])]))).toEqual(json.byTownship);
    expect(Object.fromEntries(rowsOf(page, 'domain').map((r) => [r[0], Number(r[1])]))).toEqual(json.byDomain);
    expect(rowsOf(page, 'agency').map((r) => Number(r[1]))).toEqual([2, 1, 1]);
    // one chart per breakdown, drawn on the server, shown under the CSP: no script, no style attribute
    expect(page.match(/<figure class="chart[ a-z]*" tabindex="0"><svg role="img" aria-label="[^"]+图（数字见下表）"/g)?.length).toBe(7);
    expect(page).not.toMatch(/<script|\sstyle=|<style/);
    expect(page).toContain('<th scope="col" class="num">线索数</th>');
  });

  it('sorts the agencies\' scorecard by the links of its headers', async () => {
    const names = Object.fromEntries(rowsOf(page, 'agencies').map((r) => [r[0], r]));
    expect(Object.keys(names)).toHaveLength(3);
    const order = async (sort: string) => rowsOf(await (await user.get(`/stats?${PERIOD}&sort=${sort}`)).text(), 'agencies').map((r) => [r[0], r[4], r[8], r[9]]);
    const urban = rowsOf(page, 'agency')[0]![0]; // two leads: first
    // the default: most assignments first
    expect(rowsOf(page, 'agencies')[0]![0]).toBe(urban);
    expect(page).toContain(`href="/stats?${PERIOD.replace('&', '&amp;')}&amp;sort=ack#agencies"`);
    const ack = await order('ack'); // transport 100%, urban 50%, market none
    expect(ack.map((r) => r[1])).toEqual(['100.0%', '50.0%', '—']);
    const days = await order('days'); // urban 10, transport 18, market none
    expect(days.map((r) => r[2])).toEqual(['10', '18', '—']);
    expect(days[0]![0]).toBe(urban);
    const overdue = await order('overdue');
    expect(overdue.map((r) => r[3])).toEqual(['1', '1', '0']);
    expect((await order('nonsense')).map((r) => r[0])).toEqual(rowsOf(page, 'agencies').map((r) => r[0]));
  });

  it('keeps a wrong date in the form with a Chinese error, and counts the default period', async () => {
    const res = await user.get('/stats?from=2026-02-30&to=2026-12-31');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('起始日期“2026-02-30”格式不正确');
    expect(html).toContain('value="2026-02-30"');
    expect(rowsOf(html, 'overview')[0]).toEqual(['收到问题线索（条）', '7', '—']);
    const reversed = await (await user.get('/stats?from=2026-12-31&to=2026-01-01')).text();
    expect(reversed).toContain('晚于截止日期');
    // the default period is this year so far
    const plain = await (await user.get('/stats')).text();
    expect(plain).toContain('value="2026-01-01"');
    expect(plain).toContain('value="2026-04-20"');
  });

  it('gives the same downloads through the session as the API with a token', async () => {
    const csvApi = await (await t.get(`/api/stats.csv?${PERIOD}`, viewer)).arrayBuffer();
    const csvPage = await user.get(`/stats/download/stats.csv?${PERIOD}`);
    expect(csvPage.status).toBe(200);
    expect(csvPage.headers.get('content-disposition')).toContain('filename*=');
    expect(Buffer.from(await csvPage.arrayBuffer()).equals(Buffer.from(csvApi))).toBe(true);
    expect(page).toContain(`href="/stats/download/stats.csv?${PERIOD.replace('&', '&amp;')}"`);

    const xlsxApi = await (await t.get(`/api/stats.xlsx?${PERIOD}`, viewer)).arrayBuffer();
    const xlsxPage = await user.get(`/stats/download/stats.xlsx?${PERIOD}`);
    expect(xlsxPage.status).toBe(200);
    expect(entries(await xlsxPage.arrayBuffer())).toEqual(entries(xlsxApi));

    const docxApi = await (await t.get('/api/reports/annual/2026.docx', viewer)).arrayBuffer();
    const docxPage = await user.get('/stats/reports/annual/2026.docx');
    expect(docxPage.status).toBe(200);
    const pageFiles = entries(await docxPage.arrayBuffer());
    expect(Object.keys(pageFiles)).toContain('word/document.xml');
    expect(pageFiles).toEqual(entries(docxApi));
    expect(page).toContain('href="/stats/reports/annual/2026.docx"');

    // a wrong query gets the API's problem, not a page
    const bad = await user.get('/stats/download/stats.csv?from=2026-13-01');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('shows the annual report as a page', async () => {
    expect(page).toContain('href="/stats/annual/2026"');
    const res = await user.get('/stats/annual/2026');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2026年度行政执法问题线索办理情况统计年报');
    expect(html).toContain('共收到行政执法问题线索7条（来件8件次，重复反映归并1条）');
    expect(html.match(/<table class="figures"><caption>/g)?.length).toBe(5);
    expect((await user.get('/stats/annual/26')).status).toBe(404);
  });

  it('shows 统计 in the staff\'s navigation, and no statistics to an agency', async () => {
    expect(page).toContain('<a href="/stats">统计</a>');
    const agency = await signInAs(t, await t.token('agency', { agency: 'urban' }));
    expect(await (await agency.get('/')).text()).not.toContain('href="/stats"');
    for (const path of [`/stats?${PERIOD}`, '/stats/annual/2026', `/stats/download/stats.csv?${PERIOD}`, '/stats/download/stats.xlsx', '/stats/reports/annual/2026.docx']) {
      const res = await agency.get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('收到问题线索');
    }
    // signed out: to the sign-in page
    const anon = await t.app.request('/stats');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toContain('/login');
  });
});
