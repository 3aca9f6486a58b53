// The schedule as data: which use case (src/app) runs when. Every job is safe to run on every
// instance at once: reminders are planned under unique keys and outbox messages claimed by guarded plans.
import { localDate } from '../domain/calendar/index.ts';
import type { JobDeps } from '../app/jobDeps.ts';
import { deliverOutbox } from '../app/deliverOutbox.ts';
import { deliverCallbacks } from '../app/deliverCallbacks.ts';
import { sweep } from '../app/sweep.ts';
import { docFreqOf } from '../db/stores/docFreq.ts';

/** Folds the document-frequency log into a new snapshot once it is long enough (docFreq.ts). */
function compactDocFreq(deps: JobDeps): Promise<number> {
  return docFreqOf(deps.reader).compact(deps.db);
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
  const swept = await sweep(deps, now);
  const delivered = await deliverOutbox(deps, now);
  const callbacks = await deliverCallbacks(deps, now);
  return { ...swept, ...delivered, callbacks };
}

export function jobs(schedule: { sweepCron: string; sweepCronOffDays: string }): Job[] {
  const workingToday = (deps: JobDeps, now: Date) => deps.calendar.current().isWorkingDay(localDate(now, deps.config.tz));
  return [
    { name: 'sweep (working days)', cron: schedule.sweepCron, when: workingToday, run: sweepAndDeliver },
    { name: 'sweep (other days)', cron: schedule.sweepCronOffDays, when: (d, n) => !workingToday(d, n), run: sweepAndDeliver },
    { name: 'deliver', cron: '* * * * *', run: (deps, now) => deliverOutbox(deps, now) },
    { name: 'callbacks', cron: '* * * * *', run: (deps, now) => deliverCallbacks(deps, now) },
    { name: 'compact document frequencies', cron: '*/10 * * * *', run: compactDocFreq },
  ];
}
