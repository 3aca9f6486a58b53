// 拆分: the bureau undoes a merge; both leads count their own reports again, and each lead the
// left one was merged into, however far up the chain, counts one family fewer.
import { unmerge } from '../domain/lifecycle/index.ts';
import { refreshFamily } from '../db/stores/leads.ts';
import { mergedUpwards } from '../db/stores/lifecycle.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransitionInTx } from './runTransition.ts';

export function unmergeLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransitionInTx(deps, caller, id, (s, a, at, ctx) => unmerge(s, a, at, input as never, ctx), async (tx, before) => {
    for (const up of await mergedUpwards(tx, before.mergedInto)) await refreshFamily(tx, up);
  });
}
