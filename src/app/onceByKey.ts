// Once-only scheduled work (a day's digest, hotspot mail, chain-head mail): a job_runs row with a
// unique key, written in the same plan as the work, marks it done on every instance.
import { joinPlans, planAndCommit, type Plan, type Write } from '../domain/plan.ts';
import type { JobDeps } from './jobDeps.ts';

/** The row that marks a once-only job as done (`key` unique). */
export function jobRun(key: string, at: string, ifAbsent = false): Write {
  return { kind: 'insert', table: 'job_runs', row: { key, at }, ...(ifAbsent ? { onConflict: { columns: ['key'] } } : {}) };
}

export async function jobRan(deps: Pick<JobDeps, 'db'>, key: string): Promise<boolean> {
  return Boolean(await deps.db.selectFrom('job_runs').select('key').where('key', '=', key).executeTakeFirst());
}

/**
 * Commits `what` with the job_runs row `key`, unless that row is there: true when this call wrote
 * it. Of several instances planning the same key, one commits; the others' guard fails, they read
 * again and find it done.
 */
export async function onceByKey(deps: Pick<JobDeps, 'db' | 'store'>, key: string, at: string, what: () => Promise<Partial<Plan>>): Promise<boolean> {
  return planAndCommit<boolean>(deps.store, async () => {
    if (await jobRan(deps, key)) return { done: false };
    const more = await what();
    const plan = joinPlans({
      guards: [{ kind: 'absent', table: 'job_runs', where: { key }, reason: `${key} 已完成` }], writes: [jobRun(key, at)], events: [], counters: [],
    }, { guards: [], writes: [], events: [], counters: [], ...more });
    return { plan, answer: () => true };
  });
}
