// POST /api/routing/explain: what routing would decide for a text, and why, storing nothing.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { badRequest } from '../problem.ts';

const explainBody = z.strictObject({
  title: z.string().trim().max(500).default(''),
  content: z.string().trim().min(1, '不能为空').max(50_000),
  subject: z.string().trim().max(200).optional(),
  address: z.string().trim().max(500).optional(),
  township: z.string().trim().max(50).optional(),
  category: z.string().trim().max(100).optional(),
  source: z.enum(['hotline', 'media', 'supervisor', 'bureau', 'public']).default('bureau'),
});

export function routingRoutes() {
  const app = new Hono<AppEnv>();
  app.post('/explain', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      throw badRequest('请求体必须是 JSON 对象');
    }
    const parsed = explainBody.safeParse(json);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ path: '/' + i.path.map(String).join('/'), message: i.message }));
      throw badRequest(errors.map((e) => `${e.path} ${e.message}`).join('；'), { errors });
    }
    return c.json(c.var.deps.router.route(parsed.data));
  });
  return app;
}
