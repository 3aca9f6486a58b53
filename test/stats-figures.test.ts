// The statistics of a fixed data set (test/stats-dataset.ts), figures worked out by hand, and the
// same numbers in the JSON, the CSV, the workbook (re-read with exceljs) and the CLI's outputs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { buildDataset } from './stats-dataset.ts';

const exec = promisify(execFile);
const NOW = '2026-04-20T01:00:00.000Z';
const PERIOD = 'from=2026-01-01&to=2026-12-31';
/** The body as sent, byte-order mark included (Response.text() drops it). */
const raw = async (res: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());

/** The CSV's sections: title → rows of fields (the simple CSV written here: no quoted commas in these figures). */
function sections(csv: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  let current: string[][] | undefined;
  for (const line of csv.replace(/^\uFEFF/, '').split('\r\n')) {
    const title = /^【(.+)】$/.exec(line);
    if (title) out.set(title[1]!, (current = []));
    else if (line === '') current = undefined;
    else current?.push(line.split(','));
  }
  return out;
}

describe.each(await dialects())('statistics of a fixed data set on %s', (dialect) => {
  let t: TestApp;
  let viewer: string;
  let json: any;
  let csv: string;

  beforeAll(async () => {
    t = await testApp(dialect);
    await buildDataset(t);
    t.clock.set(NOW);
    viewer = await t.token('viewer');
    json = await (await t.get(`/api/stats?${PERIOD}`, viewer)).json();
    const res = await t.get(`/api/stats.csv?${PERIOD}`, viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    csv = await raw(res);
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('counts the period\'s leads by channel, township, agency, field, problem type and status', () => {
    // L1–L8 less L7 (merged into L3); L9 is of 2025. L3 came by hotline and, through L7, by media.
    expect(json).toMatchObject({
      leads: 7, reports: 8, mergedReports: 1,
      byChannel: { hotline: 5, media: 2, supervisor: 1 },
      byTownship: { 梅湾街道: 3, 凤凰街道: 2, 未识别: 2 },
      byAgency: { urban: 2, market: 1, transport: 1 },
      byDomain: { 城市管理: 3, 市场监管: 1, 交通运输: 1, 水利: 1, 未分类: 1 },
      byProblemType: { 不作为: 1, 乱作为: 1, 以罚代刑: 1 },
      byStatus: { closed: 2, assigned: 1, triage: 2, rejected: 1, transferred: 1, merged: 1 },
    });
  });

  it('gives the handling figures and rates', () => {
    expect(json.handling).toEqual({
      received: 7, assigned: 4, rectified: 2, closed: 2, inProgress: 1, triage: 2,
      transferred: 1, transferredTo: { judicial: 1 }, rejected: 1, merged: 1,
      // 签收: L1, L4 on time, L2 late; 反馈: L1, L2 (after its return), L4 (within its extension) on time.
      acknowledged: 3, acknowledgedOnTime: 2, ackOnTimeRate: 0.667, fedBack: 3, rectifiedOnTime: 3, rectifyOnTimeRate: 1,
      overdue: 2, escalated: 1, returned: 1, extended: 1,
      closedRate: 0.286, rectifiedRate: 0.5, transferredRate: 0.143, rejectedRate: 0.143,
      // working days 交办 → 反馈: L1 03-02→03-10 = 6, L2 →03-20 = 14, L4 →03-26 = 18
      avgWorkingDaysToRectify: 12.7,
    });
    expect(json.followUps).toEqual({ done: 2, satisfied: 1, satisfactionRate: 0.5 });
  });

  it('scores each agency', () => {
    expect(json.agencies.urban).toMatchObject({
      assigned: 2, leads: 2, acknowledged: 2, acknowledgedOnTime: 1, ackOnTimeRate: 0.5, rectified: 2, rectifiedOnTime: 2,
      rectifyOnTimeRate: 1, avgWorkingDaysToRectify: 10, overdue: 1, escalated: 0, returned: 1, extended: 0, closed: 2, overdueOpen: 0,
    });
    expect(json.agencies.market).toMatchObject({
      assigned: 1, acknowledged: 0, ackOnTimeRate: null, rectified: 0, avgWorkingDaysToRectify: null,
      overdue: 1, escalated: 1, overdueOpen: 1, closed: 0,
    });
    expect(json.agencies.transport).toMatchObject({
      assigned: 1, acknowledged: 1, ackOnTimeRate: 1, rectified: 1, rectifyOnTimeRate: 1, avgWorkingDaysToRectify: 18,
      overdue: 0, extended: 1, closed: 1,
    });
  });

  it('writes the same numbers to the CSV, with a BOM, one section per table', () => {
    expect(csv.startsWith('\uFEFF统计期间,2026-01-01 至 2026-12-31\r\n')).toBe(true);
    const s = sections(csv);
    expect([...s.keys()]).toEqual(['总体情况', '按来源渠道', '按承办单位', '按乡镇（街道）', '按突出问题类型', '按执法领域', '按办理状态', '承办单位时效']);
    const overview = new Map(s.get('总体情况')!.slice(1).map((r) => [r[0], r.slice(1)]));
    expect(overview.get('收到问题线索（条）')).toEqual(['7', '']);
    expect(overview.get('整改到位（条）')).toEqual(['2', '50.0%']);
    expect(overview.get('按时签收（次）')).toEqual(['2', '66.7%']);
    expect(overview.get('督办（次）')).toEqual(['1', '']);
    expect(overview.get('回访满意（次）')).toEqual(['1', '50.0%']);
    expect(overview.get('平均整改用时（工作日）')).toEqual(['12.7', '']);
    expect(s.get('按来源渠道')).toEqual([['来源渠道', '线索数', '占比'], ['12345热线', '5', '71.4%'], ['新闻媒体', '2', '28.6%'], ['社会监督员', '1', '14.3%']]);
    expect(s.get('承办单位时效')!.find((r) => r[0] === '区城市管理和综合执法局')).toEqual(['区城市管理和综合执法局', '2', '2', '1', '50.0%', '2', '2', '100.0%', '10', '1', '0', '1', '0', '2']);
  });

  it('serves one table alone with ?table=, and refuses an unknown one', async () => {
    const one = await raw(await t.get(`/api/stats.csv?${PERIOD}&table=township`, viewer));
    expect(one).toBe('\uFEFF乡镇（街道）,线索数,占比\r\n梅湾街道,3,42.9%\r\n凤凰街道,2,28.6%\r\n未识别,2,28.6%\r\n');
    const bad = await t.get(`/api/stats.csv?${PERIOD}&table=nope`, viewer);
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('writes the same numbers to the workbook: one sheet per table, formats, frozen headers', async () => {
    const res = await t.get(`/api/stats.xlsx?${PERIOD}`, viewer);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', ...sections(csv).keys()]);
    for (const [title, rows] of sections(csv)) {
      const ws = wb.getWorksheet(title)!;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getRow(1).font?.bold).toBe(true);
      rows.forEach((fields, i) => fields.forEach((f, j) => {
        const cell = ws.getRow(i + 1).getCell(j + 1);
        const v = cell.value;
        if (f.endsWith('%')) {
          expect(cell.numFmt).toBe('0.0%');
          expect((Math.round(Number(v) * 1000) / 10).toFixed(1) + '%', `${title} ${i},${j}`).toBe(f);
        } else {
          expect(v === null || v === undefined ? '' : String(v), `${title} ${i},${j}`).toBe(f);
        }
      }));
    }
    expect(wb.getWorksheet('按来源渠道')!.getCell('B2').numFmt).toBe('#,##0');
  });

  it('refuses downloads to agencies and without a token', async () => {
    const agency = await t.token('agency', { agency: 'urban' });
    expect((await t.get(`/api/stats.xlsx?${PERIOD}`, agency)).status).toBe(403);
    expect((await t.app.request(`/api/stats.csv?${PERIOD}`)).status).toBe(401);
    expect((await t.get('/api/stats.xlsx?from=2026-02-30', viewer)).status).toBe(422);
  });

  it('gives the same numbers from the CLI as JSON, CSV and workbook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-stats-'));
    const env: Record<string, string> = { ...process.env as Record<string, string>, DATABASE_URL: t.database.url, XIANSUO_CLOCK: NOW };
    if (t.database.pgSchema) env.PGOPTIONS = `-c search_path=${t.database.pgSchema}`;
    const cli = (...args: string[]) => exec(process.execPath, ['bin/xiansuo.js', 'stats', '--from', '2026-01-01', '--to', '2026-12-31', ...args], { env });
    try {
      const fromCli = JSON.parse((await cli()).stdout);
      const { routing: _a, ...mine } = fromCli;
      const { routing: _b, ...theirs } = json;
      expect(mine).toEqual(theirs);
      await cli('--format', 'csv', '--out', join(dir, 's.csv'));
      expect(readFileSync(join(dir, 's.csv'), 'utf8')).toBe(csv);
      const r = await cli('--format', 'xlsx', '--out', join(dir, 's.xlsx'));
      expect(r.stdout).toContain('7 条线索');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(dir, 's.xlsx'));
      expect(wb.getWorksheet('按来源渠道')!.getRow(2).values).toEqual([undefined, '12345热线', 5, 0.714]);
      const bad = await cli('--format', 'pdf').catch((e: { code: number; stderr: string }) => e);
      expect(bad).toMatchObject({ code: 2 });
      expect((bad as { stderr: string }).stderr).toMatch(/^xiansuo: --format 必须是 json\|csv\|xlsx 之一/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // four processes, each starting tsx: slow on a busy machine
});
