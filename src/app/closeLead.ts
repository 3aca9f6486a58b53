// 办结 by the bureau directly (from triage or after a transfer); reporters get 回访 tasks.
import { close } from '../domain/lifecycle/index.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { followUpsPlan } from './followUps.ts';
import { runTransition } from './runTransition.ts';

export function closeLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => close(s, a, at, input as never, ctx), async (_b, after, at) =>
    (after.status === 'closed' ? followUpsPlan(deps.db, after, at) : {}));
}
