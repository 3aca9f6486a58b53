// The worker thread's entry: TypeScript through tsx, whatever loader (if any) the parent used.
import { register } from 'tsx/esm/api';

register();
await import('./dedupeWorker.ts');
