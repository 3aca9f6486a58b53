// 合并: the bureau joins a lead into another; the surviving lead counts every report of both.
import { merge, type LeadState } from '../domain/lifecycle/index.ts';
import { refreshFamily } from '../db/stores/leads.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { runTransitionInTx } from './runTransition.ts';

export function mergeLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransitionInTx(deps, caller, id, async (s, a, at, ctx, tx) => {
    const into = typeof input === 'object' && input && 'into' in input ? String((input as { into: unknown }).into) : '';
    const target = await tx.selectFrom('leads').select(['id', 'status', 'merged_into']).where('id', '=', into).executeTakeFirst();
    return merge(s, a, at, input as never, ctx, target
      ? { id: target.id, status: target.status as LeadState['status'], mergedInto: target.merged_into }
      : null); // no such lead: 404
  }, async (tx, _b, after) => {
    if (after.mergedInto) await refreshFamily(tx, after.mergedInto);
  });
}
