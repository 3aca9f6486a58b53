// 移送: the bureau hands a lead to 纪委监委 (discipline) or to the judicial organs (两法衔接).
import { transfer } from '../domain/lifecycle/index.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransition } from './runTransition.ts';

export function transferLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => transfer(s, a, at, input as never, ctx));
}
