// What scheduled work needs: a slice of the app's dependencies.
import type { AppDeps } from '../app/deps.ts';

export type JobDeps = Pick<AppDeps, 'db' | 'reader' | 'directory' | 'calendar' | 'config' | 'log' | 'mailer' | 'clock'>;
