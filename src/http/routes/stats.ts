// GET /api/stats?from=&to=: the period's statistics (bureau, viewer), and the same figures as
// GET /api/stats.csv[?table=KEY] and GET /api/stats.xlsx.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isIsoDate } from '../../domain/calendar/index.ts';
import { statsTables } from '../../domain/statsTables.ts';
import { agencyNamer, periodLabel, statsForPeriod } from '../../app/stats.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { statsCsv } from '../stats/csv.ts';
import { statsWorkbook } from '../stats/xlsx.ts';
import { parseQuery } from './leads.ts';

export { periodOf } from '../../app/stats.ts';

const date = z.string().refine(isIsoDate, '应为有效日期 YYYY-MM-DD');
/** The query of GET /api/stats (also described in the OpenAPI document). */
export const statsQuery = z.object({ from: date.optional(), to: date.optional() });
const TABLE_KEYS = ['overview', 'channel', 'agency', 'township', 'problemType', 'domain', 'status', 'agencies'] as const;
/** The tables of GET /api/stats.csv?table= (also described in the OpenAPI document). */
export const STATS_TABLE_KEYS = TABLE_KEYS;

async function load(c: Context<AppEnv>, extra: z.ZodRawShape = {}) {
  requireRole(c, 'bureau', 'viewer');
  const q = parseQuery(statsQuery.extend(extra), c) as { from?: string; to?: string; table?: string };
  const { deps } = c.var;
  const stats = await statsForPeriod(deps, q);
  return { q, stats, tables: statsTables(stats, agencyNamer(deps.directory)), label: periodLabel(stats, deps.config.tz) };
}

const attachment = (name: string) => `attachment; filename="xiansuo-stats.${name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function statsRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => c.json((await load(c)).stats));
  return app;
}

/** Mounted at /api: the downloads sit beside /api/stats. */
export function statsDownloadRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/stats.csv', async (c) => {
    const { q, tables, label } = await load(c, { table: z.enum(TABLE_KEYS).optional() });
    const name = `统计_${label.from}_${label.to}${q.table ? `_${q.table}` : ''}.csv`;
    return c.body(statsCsv(tables, label, q.table), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(name) });
  });
  app.get('/stats.xlsx', async (c) => {
    const { tables, label } = await load(c);
    const bytes = await statsWorkbook(tables, { ...label, generatedAt: c.var.deps.clock.now().toISOString() });
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': attachment(`统计_${label.from}_${label.to}.xlsx`),
    });
  });
  return app;
}
