// GET /api/follow-ups: the 回访 tasks still to do (bureau). Reporters' contact details are read
// on the lead itself, where each unmasked read is recorded.
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { noStore } from './leads.ts';

export function followUpRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireRole(c, 'bureau');
    const rows = await c.var.deps.reader.selectFrom('follow_ups').innerJoin('reports', 'reports.id', 'follow_ups.report_id')
      .select(['follow_ups.lead_id', 'follow_ups.report_id', 'follow_ups.round', 'follow_ups.created_at', 'reports.source', 'reports.supervisor_id'])
      .where('follow_ups.status', '=', 'pending').orderBy('follow_ups.created_at').limit(500).execute();
    noStore(c);
    return c.json({
      items: rows.map((r) => ({
        leadId: r.lead_id, reportId: r.report_id, round: Number(r.round), createdAt: r.created_at,
        via: r.supervisor_id ? 'supervisor' : 'phone', source: r.source,
      })),
    });
  });
  return app;
}
