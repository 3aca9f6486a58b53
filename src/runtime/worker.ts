// The Cloudflare Workers entry (wrangler.toml `main`): `fetch` serves the same Hono app as
// src/runtime/node.ts, `scheduled` runs the same sweep and delivery use cases, over D1. The
// de-duplication index lives in one Durable Object (dedupeObject.ts), exported from here.
//
// Cron triggers (wrangler.toml, UTC): "*/5 * * * *" is the deadline sweep followed by delivery
// (on rest days in XIANSUO_TZ only at the top of the hour, as on Node), "* * * * *" is mail and
// callback delivery. A scheduled event's time is `controller.scheduledTime`: the sweep runs "as
// if the time were" it, like `xiansuo sweep --now`.
import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import { createApp } from '../http/app.ts';
import type { AppDeps } from '../http/context.ts';
import { localDate } from '../domain/calendar/index.ts';
import { deliverOutbox } from '../jobs/deliver.ts';
import { deliverCallbacks } from '../jobs/callbacks.ts';
import { sweepAndDeliver } from '../jobs/index.ts';
import { shiftedClock, systemClock } from './clock.ts';
import { loadWorkerConfig } from './workerConfig.ts';
import { buildWorkerDeps, jobDepsOf, seedD1, workerLogger } from './workerDeps.ts';
import type { WorkerEnv } from './workerEnv.ts';

export { DedupeIndexObject } from './dedupeObject.ts';

export const SWEEP_CRON = '*/5 * * * *';
export const DELIVER_CRON = '* * * * *';

interface Ready {
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
}

// One per isolate and env: the parsed settings, the compiled rules, the seeded directory.
const started = new WeakMap<object, Promise<Ready>>();

function ready(env: WorkerEnv): Promise<Ready> {
  let p = started.get(env);
  if (!p) {
    p = (async () => {
      const config = loadWorkerConfig(env);
      const clock = config.clockStart ? shiftedClock(config.clockStart) : systemClock;
      if (config.clockStart) workerLogger.info({ msg: `!!! XIANSUO_CLOCK 已设置：服务时钟从 ${config.clockStart.toISOString()} 起算，仅用于验收测试和演示 !!!` });
      const deps = await buildWorkerDeps(env, config, clock);
      await seedD1(env, deps.db, config, clock.now().toISOString());
      return { deps, app: createApp(deps) };
    })();
    // A failed start is tried again by the next request, not cached.
    p.catch(() => started.delete(env));
    started.set(env, p);
  }
  return p;
}

/** What one scheduled event runs, by its cron expression; `now` is the event's time. */
export async function runScheduled(env: WorkerEnv, cron: string, now: Date): Promise<unknown> {
  const { deps } = await ready(env);
  const job = jobDepsOf(deps);
  if (cron === SWEEP_CRON) {
    const working = deps.calendar.current().isWorkingDay(localDate(now, deps.config.tz));
    if (!working && now.getUTCMinutes() !== 0) return { skipped: '休息日只在整点巡查' };
    return sweepAndDeliver(job, now);
  }
  const delivered = await deliverOutbox(job, now);
  const callbacks = await deliverCallbacks(job, now);
  return { ...delivered, callbacks };
}

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
