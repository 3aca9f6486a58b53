// 交办: the bureau assigns a lead to an agency; the agency is mailed, and a choice other than the
// routing proposal is recorded so routing can learn from it.
import { assign } from '../domain/lifecycle/index.ts';
import { queueAssignmentNotices } from '../jobs/dispatch.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { leadTitle, runTransition } from './runTransition.ts';

export function assignLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => assign(s, a, at, input as never, ctx), async (tx, before, after, at, rec) => {
    await queueAssignmentNotices(tx, deps, before, after, await leadTitle(tx, after.id), at);
    const known = new Set(before.assignments.map((x) => x.id));
    const primary = after.assignments.find((x) => x.role === 'primary' && !known.has(x.id));
    if (primary && after.routing.agency && primary.agency !== after.routing.agency) {
      rec.record({
        leadId: after.id, actor: caller.tokenId, action: 'routing.corrected', at,
        data: { proposed: after.routing.agency, chosen: primary.agency },
      });
    }
  });
}
