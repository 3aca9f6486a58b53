// One JSON line per request: request id, method, path, status, time.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../context.ts';

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || crypto.randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    await next();
    const ms = performance.now() - started;
    c.var.deps.log.info({
      msg: 'request', requestId, method: c.req.method, path: c.req.path, status: c.res.status,
      ms: Math.round(ms * 10) / 10,
    });
    const route = routePath(c, -1);
    c.var.deps.metrics?.observeRequest({
      method: c.req.method, route, status: c.res.status, seconds: ms / 1000,
      webhookSource: c.req.method === 'POST' ? /^\/webhooks\/([^/]+)$/.exec(c.req.path)?.[1] : undefined,
    });
  };
}
