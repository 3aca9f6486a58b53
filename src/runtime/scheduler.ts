// Runs the schedule of src/jobs (use cases of src/app) with node-cron in XIANSUO_TZ, on the service's clock.
import cron from 'node-cron';
import type { Clock } from '../domain/types.ts';
import type { JobDeps } from '../app/jobDeps.ts';
import type { Job } from '../jobs/index.ts';

/** `done` hears of each job that ran to its end (for /metrics). */
export function startJobs(list: Job[], deps: JobDeps, clock: Clock, done?: (job: Job, at: Date) => void): { stop(): void } {
  const tasks = list.map((job) => cron.schedule(job.cron, async () => {
    const now = clock.now();
    if (job.when && !job.when(deps, now)) return;
    const started = performance.now();
    try {
      const result = await job.run(deps, now);
      deps.log.info({ msg: 'job', job: job.name, ms: Math.round(performance.now() - started), result });
      done?.(job, clock.now());
    } catch (err) {
      deps.log.error({ msg: 'job failed', job: job.name, err: String(err) });
    }
  }, { name: job.name, timezone: deps.config.tz, noOverlap: true }));
  return { stop: () => tasks.forEach((t) => t.destroy()) };
}
