// 签收: the agency takes the lead in hand (rectifying).
import { acknowledge } from '../domain/lifecycle/index.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransition } from './runTransition.ts';

export function acknowledgeLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => acknowledge(s, a, at, input as never, ctx));
}
