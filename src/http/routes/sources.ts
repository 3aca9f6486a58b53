// GET /api/sources (bureau, admin): the delivery log of each inbound source — deliveries taken in
// by answer, the last refusal's reason — and its callbacks: pending, failed, delivered, last error.
import { Hono } from 'hono';
import { sourceOverview } from '../../app/sourceOverview.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';

export function sourceRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireRole(c, 'bureau');
    const { deps } = c.var;
    const items = await sourceOverview({ reads: deps.sourceReads, log: deps.sourceLog }, deps.config);
    return c.json({ items }, 200, { 'cache-control': 'no-store' });
  });
  return app;
}
