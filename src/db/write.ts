// The interactive write of the code not yet converted to plans, and the handle-based entry points
// of the commit: thin names for src/db/commit.ts, where the write queue, its group commit, the audit
// chain and durability live. New code takes the Backend (src/db/backend.ts) and commits plans.
export type { Recorder, Tx } from './tx.ts';
export { commitPlan, nextCounter, useAuditKey, write, WriteQueue } from './commit.ts';
