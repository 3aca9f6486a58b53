// Scheduled work as data. Every job is safe to run on every instance at once: reminders are
// decided under unique keys and outbox messages are claimed by conditional updates.
import { localDate } from '../domain/calendar/index.ts';
import type { JobDeps } from './context.ts';
import { deliverOutbox } from './deliver.ts';
import { sweep } from './sweep.ts';
import { foldDocFreq } from '../db/stores/dedupe.ts';

async function foldAll(deps: JobDeps): Promise<number> {
  let total = 0;
  for (let n = await foldDocFreq(deps.db); n > 0; n = await foldDocFreq(deps.db)) total += n;
  return total;
}

export interface Job {
  name: string;
  /** node-cron expression, in XIANSUO_TZ. */
  cron: string;
  /** Whether this tick should run (e.g. the working-day sweep skips rest days). */
  when?(deps: JobDeps, now: Date): boolean;
  run(deps: JobDeps, now: Date): Promise<unknown>;
}

/** One pass of the deadline sweep followed by one pass of delivery, as `xiansuo sweep` runs it. */
export async function sweepAndDeliver(deps: JobDeps, now: Date) {
  await foldAll(deps);
  const swept = await sweep(deps, now);
  const delivered = await deliverOutbox(deps, now);
  return { ...swept, ...delivered };
}

export function jobs(schedule: { sweepCron: string; sweepCronOffDays: string }): Job[] {
  const workingToday = (deps: JobDeps, now: Date) => deps.calendar.current().isWorkingDay(localDate(now, deps.config.tz));
  return [
    { name: 'sweep (working days)', cron: schedule.sweepCron, when: workingToday, run: sweepAndDeliver },
    { name: 'sweep (other days)', cron: schedule.sweepCronOffDays, when: (d, n) => !workingToday(d, n), run: sweepAndDeliver },
    { name: 'deliver', cron: '* * * * *', run: (deps, now) => deliverOutbox(deps, now) },
    // Intake folds its own document frequencies right after commit; this catches what is left.
    { name: 'fold document frequencies', cron: '* * * * *', run: (deps) => foldAll(deps) },
  ];
}
