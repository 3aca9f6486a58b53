// GET /metrics: Prometheus text format, for operators (no personal data: counts and timings only).
// Node only (src/runtime/metrics.ts, set by `xiansuo serve`); on Workers a problem says so.
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { problem } from '../problem.ts';

export function metricsRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { metrics, dialect } = c.var.deps;
    if (!metrics && dialect === 'd1') {
      // prom-client counts in the memory of one long-lived process; a worker has none.
      return problem(c, 404, 'not-found', '未找到',
        '/metrics 只在 Node.js 运行时提供；Cloudflare Workers 上没有常驻进程累计计数，请用 Workers 的日志（wrangler tail）和 Analytics 查看请求与错误');
    }
    if (!metrics) return problem(c, 404, 'not-found', '未找到', '此部署未启用指标（/metrics）');
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
  return app;
}
