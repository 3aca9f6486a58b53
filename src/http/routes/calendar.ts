// GET/PUT /api/calendar/{year}: the working days of a year, and the bureau's override table for it.
import { Hono } from 'hono';
import { addDays, yearOverridesSchema } from '../../domain/calendar/index.ts';
import { saveCalendarYear } from '../../app/saveCalendarYear.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { badRequest } from '../problem.ts';
import { invalid, readJson, validate } from '../body.ts';

function yearParam(raw: string): number {
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2000 || year > 2100) {
    throw badRequest('年份应为 2000–2100 之间的四位数字', { errors: [{ path: '/year', message: '无效的年份' }] });
  }
  return year;
}

export function calendarRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:year', async (c) => {
    requireRole(c, 'bureau', 'viewer', 'agency', 'supervisor');
    const year = yearParam(c.req.param('year'));
    const { deps } = c.var;
    const calendar = await deps.calendar.reload();
    const restDays: string[] = [];
    const makeUpWorkingDays: string[] = [];
    let workingDays = 0;
    for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
      const weekend = [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
      const working = calendar.isWorkingDay(d);
      if (working) workingDays++;
      if (!working && !weekend) restDays.push(d);
      if (working && weekend) makeUpWorkingDays.push(d);
    }
    const overrides = deps.calendar.tables().find((t) => t.year === year) ?? { year, days: {} };
    return c.json({
      year, covered: calendar.isCoveredYear(year), provisional: !calendar.isCoveredYear(year),
      workingDays, restDays, makeUpWorkingDays, overrides,
    });
  });

  app.put('/:year', async (c) => {
    const p = requireRole(c, 'bureau');
    const year = yearParam(c.req.param('year'));
    const { deps } = c.var;
    const json = await readJson(c);
    const table = validate(yearOverridesSchema, { year, ...(json && typeof json === 'object' ? json : {}) });
    if (table.year !== year) throw invalid([{ path: '/year', message: `须为 ${year}` }]);
    const { recomputedAssignments } = await saveCalendarYear(deps, table, p.tokenId);
    return c.json({ year, saved: table, recomputedAssignments });
  });

  return app;
}
