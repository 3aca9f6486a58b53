// What scheduled work needs: a slice of the app's dependencies.
import type { Kysely } from 'kysely';
import type { AppDeps } from './deps.ts';
import type { DB } from '../db/schema/index.ts';
import type { PlanCommitter } from '../domain/plan.ts';

export type JobDeps = Pick<AppDeps, 'db' | 'reader' | 'store' | 'directory' | 'calendar' | 'config' | 'log' | 'mailer' | 'clock'> & {
  /**
   * A rehearsal (`xiansuo sweep --dry-run`): runs `work` against a handle and a committer whose
   * writes are all rolled back at its end; absent where the backend has no such transaction (D1).
   */
  rehearse?<T>(work: (inside: { db: Kysely<DB>; store: PlanCommitter }) => Promise<T>): Promise<T>;
};
