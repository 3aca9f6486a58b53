// The change gate (src/domain/dedupe/changeGate.ts) for code that has only a handle: the version
// probe comes from the handle's backend (src/db/commit.ts).
export { ChangeGate } from '../domain/dedupe/changeGate.ts';
export { changeGate } from './commit.ts';
