// 申请延期: the agency asks for more working days, with a reason.
import { requestExtension as request } from '../domain/lifecycle/index.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransition } from './runTransition.ts';

export function requestExtension(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => request(s, a, at, input as never, ctx));
}
