// 交办: the bureau assigns a lead to an agency; the agency is mailed, and a choice other than the
// routing proposal is recorded so routing can learn from it.
import { assign } from '../domain/lifecycle/index.ts';
import type { EventDraft } from '../domain/audit.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { assignmentNotices } from './notices.ts';
import { leadTitle, noticesPlan, runTransition } from './runTransition.ts';

export function assignLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => assign(s, a, at, input as never, ctx), async (before, after, at) => {
    const notices = assignmentNotices(deps.directory, before, after, await leadTitle(deps.db, after.id));
    const plan = await noticesPlan(deps, notices, at);
    const known = new Set(before.assignments.map((x) => x.id));
    const primary = after.assignments.find((x) => x.role === 'primary' && !known.has(x.id));
    const events: EventDraft[] = [];
    if (primary && after.routing.agency && primary.agency !== after.routing.agency) {
      events.push({
        leadId: after.id, actor: caller.tokenId, action: 'routing.corrected', at,
        data: { proposed: after.routing.agency, chosen: primary.agency },
      });
    }
    return { ...plan, events };
  });
}
