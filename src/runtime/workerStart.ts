// One worker's start, shared by its handlers (worker.ts) and scheduled work: the parsed settings,
// the compiled rules, the dependencies over D1 and the seeded directory, once per isolate.
// A module of its own because workerd takes every export of the main module for a handler.
import { createApp } from '../http/app.ts';
import type { AppDeps } from '../http/context.ts';
import { localDate } from '../domain/calendar/index.ts';
import { deliverOutbox } from '../app/deliverOutbox.ts';
import { deliverCallbacks } from '../app/deliverCallbacks.ts';
import { sweepAndDeliver } from '../jobs/index.ts';
import { shiftedClock, systemClock } from './clock.ts';
import { loadWorkerConfig } from './workerConfig.ts';
import { buildWorkerDeps, jobDepsOf, seedD1, workerLogger } from './workerDeps.ts';
import type { WorkerEnv } from './workerEnv.ts';

export const SWEEP_CRON = '*/5 * * * *';
export const DELIVER_CRON = '* * * * *';

export interface Ready {
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
}

// One per isolate and env: the parsed settings, the compiled rules, the seeded directory.
const started = new WeakMap<object, Promise<Ready>>();

export function ready(env: WorkerEnv): Promise<Ready> {
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

