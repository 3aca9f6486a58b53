// 合并: the bureau joins a lead into another; the surviving lead counts every report of both.
// One plan: the merged lead's new state, and the target's count over its new family (decided in
// src/domain/lifecycle/family.ts from the trees read), guarded by both leads' versions.
import { merge } from '../domain/lifecycle/index.ts';
import { recountPlan, type FamilyTree } from '../domain/lifecycle/family.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { familyTree, runTransition } from './runTransition.ts';

export function mergeLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  let tree: FamilyTree = { links: [], reports: [] };
  return runTransition(deps, caller, id, async (s, a, at, ctx) => {
    const into = typeof input === 'object' && input && 'into' in input ? String((input as { into: unknown }).into) : '';
    tree = await familyTree(deps, into ? [s.id, into] : [s.id]);
    const target = into ? tree.links.find((l) => l.id === into) : undefined;
    return merge(s, a, at, input as never, ctx, target
      ? { id: target.id, status: target.status, mergedInto: target.mergedInto }
      : null); // no such lead: 404
  }, async (_b, after) => (after.mergedInto ? recountPlan(tree, after, [after.mergedInto]) : {}));
}
