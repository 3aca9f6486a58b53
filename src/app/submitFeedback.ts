// 整改反馈: the agency reports its rectification (summary, measures, evidence links).
import { feedback } from '../domain/lifecycle/index.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransition } from './runTransition.ts';

export function submitFeedback(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => feedback(s, a, at, input as never, ctx));
}
