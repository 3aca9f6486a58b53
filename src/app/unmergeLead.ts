// 拆分: the bureau undoes a merge; both leads count their own reports again, and each lead the
// left one was merged into, however far up the chain, counts one family fewer. One plan: the
// lead's new state and the counts of the leads above it (src/domain/lifecycle/family.ts),
// guarded by their versions.
import { unmerge } from '../domain/lifecycle/index.ts';
import { mergedUpwards, recountPlan, type FamilyTree } from '../domain/lifecycle/family.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { familyTree, runTransition } from './runTransition.ts';

export function unmergeLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  let tree: FamilyTree = { links: [], reports: [] };
  return runTransition(deps, caller, id, async (s, a, at, ctx) => {
    tree = await familyTree(deps, [s.id]);
    return unmerge(s, a, at, input as never, ctx);
  }, async (before, after) => recountPlan(tree, after, mergedUpwards(tree.links, before.mergedInto)));
}
