// npx xiansuo stats [--from DATE] [--to DATE] [--format json|csv|xlsx] [--table KEY] [--out FILE]:
// the same figures as GET /api/stats, /api/stats.csv and /api/stats.xlsx.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { agencyNamer, periodLabel, statsForPeriod } from '../app/stats.ts';
import { isIsoDate } from '../domain/calendar/index.ts';
import { statsTables } from '../domain/statsTables.ts';
import type { Clock } from '../domain/types.ts';
import { statsCsv } from '../http/stats/csv.ts';
import { statsWorkbook } from '../http/stats/xlsx.ts';
import type { Config } from '../runtime/config.ts';
import { connect } from '../runtime/database.ts';
import { loadCalendar } from '../runtime/services.ts';

const FORMATS = ['json', 'csv', 'xlsx'] as const;

export async function statsCommand(
  args: string[], config: Config, clock: Clock, out: (s: string) => void, fail: (message: string) => Error,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args, strict: true, allowPositionals: false,
      options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, table: { type: 'string' }, out: { type: 'string' } },
    }));
  } catch (err) {
    throw fail(`参数有误：${(err as Error).message}`);
  }
  for (const name of ['from', 'to'] as const) {
    const v = values[name];
    if (v !== undefined && !isIsoDate(v)) throw fail(`--${name} 应为有效日期 YYYY-MM-DD，收到 “${v}”`);
  }
  if (values.from && values.to && values.from > values.to) throw fail(`--from ${values.from} 晚于 --to ${values.to}`);
  const format = (values.format ?? 'json') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw fail(`--format 必须是 ${FORMATS.join('|')} 之一，收到 “${values.format}”`);
  if (format === 'xlsx' && !values.out) throw fail('xlsx 格式需要 --out FILE');
  if (values.table && format !== 'csv') throw fail('--table 只用于 csv 格式');

  const database = connect(config.databaseUrl);
  let stats;
  try {
    const calendar = await loadCalendar(database);
    stats = await statsForPeriod({ reader: database.db, clock, config, calendar, directory: config.directory }, values);
  } finally {
    await database.close();
  }
  const tables = statsTables(stats, agencyNamer(config.directory));
  const label = periodLabel(stats, config.tz);
  if (values.table && !tables.some((t) => t.key === values.table)) {
    throw fail(`未知的表 “${values.table}”；可选：${tables.map((t) => t.key).join('、')}`);
  }
  let data: string | Uint8Array;
  if (format === 'json') data = JSON.stringify(stats, null, 2) + '\n';
  else if (format === 'csv') data = statsCsv(tables, label, values.table);
  else data = await statsWorkbook(tables, { ...label, generatedAt: clock.now().toISOString() });
  if (!values.out) {
    out(typeof data === 'string' ? data.replace(/\n$/, '') : '');
    return 0;
  }
  try {
    writeFileSync(values.out, data);
  } catch (err) {
    throw fail(`无法写入 ${values.out}：${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  out(`已写入 ${values.out}（${label.from} 至 ${label.to}，${stats.leads} 条线索）`);
  return 0;
}
