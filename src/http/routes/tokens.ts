// GET /api/tokens (admin): what `xiansuo token list` shows — never a token or its hash.
import { Hono } from 'hono';
import { listApiTokens } from '../../app/listApiTokens.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';

export function tokenRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireRole(c);
    return c.json({ items: await listApiTokens(c.var.deps) });
  });
  return app;
}
