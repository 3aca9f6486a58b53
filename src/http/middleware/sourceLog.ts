// Counts every answer /webhooks/{source} gives, by source and status, with a refusal's reason
// (the problem's `detail`), for the delivery log (GET /api/sources, xiansuo sources).
import type { MiddlewareHandler } from 'hono';
import { findSource } from '../../../webhooks/index.ts';
import type { AppEnv } from '../context.ts';

export function sourceLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const { deps } = c.var;
    const source = c.req.param('source');
    if (!deps.sourceLog || !source || !findSource(deps.config.sources, source)) return;
    let detail: string | undefined;
    if (c.res.status >= 400) {
      try {
        detail = String(((await c.res.clone().json()) as { detail?: unknown }).detail ?? '');
      } catch {
        detail = undefined;
      }
    }
    deps.sourceLog.answered(source, c.res.status, deps.clock.now().toISOString(), detail);
  };
}
