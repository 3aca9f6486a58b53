// One JSON line per request: request id, method, path, status, time.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || crypto.randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    await next();
    c.var.deps.log.info({
      msg: 'request', requestId, method: c.req.method, path: c.req.path, status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
