// Counts every answer /webhooks/{source} gives, by source and status, with a refusal's reason
// (the problem's `detail`), for the delivery log (GET /api/sources, xiansuo sources). On Node the
// log writes its counts once a second; on Workers each answer after its response (perRequest).
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
    if (!deps.sourceLog.perRequest) return;
    // Workers: written after the response, kept alive by the request's waitUntil (awaited where
    // there is no execution context, as in app.request()).
    const written = deps.sourceLog.flush().catch((err) => deps.log.error({ msg: '来源投递日志写入失败', err: String(err) }));
    let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
    try {
      ctx = c.executionCtx;
    } catch {
      ctx = undefined;
    }
    if (ctx) ctx.waitUntil(written);
    else await written;
  };
}
