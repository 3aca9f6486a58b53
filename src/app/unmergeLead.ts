// 拆分: the bureau undoes a merge; both leads count their own reports again.
import { unmerge } from '../domain/lifecycle/index.ts';
import { refreshFamily } from '../db/stores/leads.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransition } from './runTransition.ts';

export function unmergeLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => unmerge(s, a, at, input as never, ctx), async (tx, before) => {
    if (before.mergedInto) await refreshFamily(tx, before.mergedInto);
  });
}
