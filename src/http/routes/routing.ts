// POST /api/routing/explain: what routing would decide for a text, and why, storing nothing.
import { Hono } from 'hono';
import { z } from 'zod';
import { CHANNEL_NAMES } from '../../../webhooks/index.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { readJson, validate } from '../body.ts';

export const explainBody = z.strictObject({
  title: z.string().trim().max(500).default(''),
  content: z.string().trim().min(1, '不能为空').max(50_000),
  subject: z.string().trim().max(200).optional(),
  address: z.string().trim().max(500).optional(),
  township: z.string().trim().max(50).optional(),
  category: z.string().trim().max(100).optional(),
  source: z.enum(CHANNEL_NAMES).default('bureau'),
});

export function routingRoutes() {
  const app = new Hono<AppEnv>();
  app.post('/explain', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    return c.json(c.var.deps.router.route(validate(explainBody, await readJson(c))));
  });
  return app;
}
