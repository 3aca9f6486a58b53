// The Cloudflare Workers entry (wrangler.toml `main`): `fetch` serves the same Hono app as
// src/runtime/node.ts, `scheduled` runs the same sweep and delivery use cases, over D1. The
// de-duplication index lives in one Durable Object (dedupeObject.ts), exported from here.
//
// Cron triggers (wrangler.toml, UTC): "*/5 * * * *" is the deadline sweep followed by delivery
// (on rest days in XIANSUO_TZ only at the top of the hour, as on Node), "* * * * *" is mail and
// callback delivery. A scheduled event's time is `controller.scheduledTime`: the sweep runs "as
// if the time were" it, like `xiansuo sweep --now`.
import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import { workerLogger } from './workerDeps.ts';
import type { WorkerEnv } from './workerEnv.ts';
import { ready, runScheduled, type Ready } from './workerStart.ts';

export { DedupeIndexObject } from './dedupeObject.ts';

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: Ready['app'];
    try {
      ({ app } = await ready(env));
    } catch (err) {
      workerLogger.error({ msg: 'xiansuo 启动失败', err: String((err as Error)?.message ?? err) });
      return new Response(JSON.stringify({
        type: 'about:blank', title: '服务不可用', status: 503, detail: String((err as Error)?.message ?? err).split('\n')[0],
      }), { status: 503, headers: { 'content-type': 'application/problem+json; charset=utf-8' } });
    }
    return app.fetch(request, env, ctx as never);
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const now = new Date(controller.scheduledTime);
    const work = runScheduled(env, controller.cron, now).then(
      (result) => workerLogger.info({ msg: '定时任务完成', cron: controller.cron, at: now.toISOString(), result }),
      (err: unknown) => {
        workerLogger.error({ msg: '定时任务失败', cron: controller.cron, at: now.toISOString(), err: String(err) });
        throw err;
      },
    );
    ctx.waitUntil(work);
    await work;
  },
};
