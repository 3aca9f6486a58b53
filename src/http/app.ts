// createApp(deps): the whole HTTP surface. Reads no environment; everything comes in deps.
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './context.ts';
import { bearerAuth } from './middleware/auth.ts';
import { bodyLimit, DEFAULT_API_BODY_LIMIT } from './middleware/webhook.ts';
import { nosniff } from './middleware/nosniff.ts';
import { inputText } from './middleware/inputText.ts';
import { CLIENT_CLOSED, clientClosed, requestLog } from './middleware/requestLog.ts';
import { HttpProblem, problem } from './problem.ts';
import { healthRoutes } from './routes/health.ts';
import { leadRoutes } from './routes/leads.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { workflowRoutes } from './routes/workflow.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { routingRoutes } from './routes/routing.ts';
import { statsRoutes } from './routes/stats.ts';
import { followUpRoutes } from './routes/followUps.ts';
import { sourceLog } from './middleware/sourceLog.ts';
import { sourceRoutes } from './routes/sources.ts';
import { docsRoutes } from './routes/docs.ts';
import { pageRoutes } from './pages/index.tsx';
import { mountReporting } from './stats/mount.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { outboxRoutes } from './routes/outbox.ts';

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', requestLog());
  app.use('*', nosniff());
  app.use('*', inputText());
  app.route('/healthz', healthRoutes());
  app.route('/', docsRoutes());
  app.use('/webhooks/:source', sourceLog());
  app.route('/metrics', metricsRoutes());
  app.route('/webhooks', webhookRoutes());
  app.use('/api/*', bodyLimit(deps.config.apiBodyLimit ?? DEFAULT_API_BODY_LIMIT)); // before any role check
  app.use('/api/*', bearerAuth());
  app.route('/api/leads', leadRoutes());
  app.route('/api/leads', workflowRoutes());
  app.route('/api/calendar', calendarRoutes());
  app.route('/api/routing', routingRoutes());
  app.route('/api/stats', statsRoutes());
  app.route('/api/follow-ups', followUpRoutes());
  app.route('/api/outbox', outboxRoutes());
  app.route('/api/sources', sourceRoutes());
  app.route('/api/tokens', tokenRoutes());
  mountReporting(app);
  app.route('/', pageRoutes() as never);

  app.notFound((c) => problem(c, 404, 'not-found', '未找到', `没有 ${c.req.method} ${c.req.path} 这个地址`));
  app.onError((err, c) => {
    if (err instanceof HttpProblem) return problem(c, err.status, err.slug, err.title, err.detail, err.extra);
    if (clientClosed(c, err)) return c.body(null, CLIENT_CLOSED as never); // logged as a request line, no stack
    deps.log.error({ msg: 'unhandled error', requestId: c.var.requestId, path: c.req.path, err: String(err), stack: (err as Error).stack });
    return problem(c, 500, 'internal-error', '服务器内部错误', '请求未能完成，请稍后重试；如持续出现请联系管理员');
  });
  return app;
}
