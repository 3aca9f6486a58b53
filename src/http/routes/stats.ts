// GET /api/stats?from=&to=: the period's statistics (bureau, viewer).
import { Hono } from 'hono';
import { z } from 'zod';
import { addDays, isIsoDate, localDate, startOfLocalDay } from '../../domain/calendar/index.ts';
import { periodStats } from '../../db/stores/stats.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { parseQuery } from './leads.ts';

const date = z.string().refine(isIsoDate, '应为有效日期 YYYY-MM-DD');
/** The query of GET /api/stats (also described in the OpenAPI document). */
export const statsQuery = z.object({ from: date.optional(), to: date.optional() });

/** A period of local dates [from, to] as UTC instants; the default is the current year so far. */
export function periodOf(from: string | undefined, to: string | undefined, now: Date, tz: string) {
  const year = localDate(now, tz).slice(0, 4);
  const start = startOfLocalDay(from ?? `${year}-01-01`, tz);
  const end = to ? startOfLocalDay(addDays(to, 1), tz) : now.getTime() + 1; // up to and including now
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export function statsRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    const q = parseQuery(statsQuery, c);
    const { deps } = c.var;
    const now = deps.clock.now();
    return c.json(await periodStats(deps.reader, periodOf(q.from, q.to, now, deps.config.tz), now.toISOString()));
  });
  return app;
}
