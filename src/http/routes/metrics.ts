// GET /metrics: Prometheus text format, for operators (no personal data: counts and timings only).
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { problem } from '../problem.ts';

export function metricsRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const metrics = c.var.deps.metrics;
    if (!metrics) return problem(c, 404, 'not-found', '未找到', '此部署未启用指标（/metrics）');
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
  return app;
}
