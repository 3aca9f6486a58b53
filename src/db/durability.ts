// Durable commits: how a backend's commits reach the disk lives with the commit
// (src/db/commit.ts, sqlBackend's commit sync); these names are for the code that has only a handle.
export { coalesce, durable, type CommitSync } from './commit.ts';
