// Reads the recorded state (src/domain/auditState.ts) of leads from their rows: with the commit
// (src/db/commit.ts), which stores it with its events; `audit verify` compares it.
export { readStates } from './commit.ts';
