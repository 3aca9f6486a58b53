// 不予受理: the bureau declines a lead, with a reason.
import { reject } from '../domain/lifecycle/index.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransition } from './runTransition.ts';

export function rejectLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => reject(s, a, at, input as never, ctx));
}
