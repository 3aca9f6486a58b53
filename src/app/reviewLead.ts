// 审核 通过 / 退回: the bureau closes the lead or returns the rectification with a new deadline;
// the agency is told either way.
import { review } from '../domain/lifecycle/index.ts';
import { countWorkingDaysLeft } from '../notify/index.ts';
import { joinPlans, type Plan } from '../domain/plan.ts';
import { agencyOrPlaceholder, type Notice } from './notices.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { followUpsPlan } from './followUps.ts';
import { leadTitle, noticesPlan, runTransition } from './runTransition.ts';

export function reviewLead(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => review(s, a, at, input as never, ctx), async (before, after, at) => {
    const title = await leadTitle(deps.db, after.id);
    const notices: Notice[] = [];
    if (after.status === 'closed') {
      for (const x of after.assignments.filter((y) => before.assignments.find((z) => z.id === y.id)?.status !== 'closed')) {
        const agency = agencyOrPlaceholder(deps.directory, x.agency);
        const notice = { leadId: after.id, title, agencyName: agency.name, closedAt: at };
        notices.push({ key: `approved:${x.id}:${at}`, leadId: after.id, agency, to: [agency.email], template: { name: 'review-approved', input: notice } });
      }
      return joinPlans(full(await noticesPlan(deps, notices, at)), full(await followUpsPlan(deps.db, after, at)));
    }
    const p = after.assignments.find((x) => x.returned && x.returned.at === at);
    if (p?.returned) {
      const agency = agencyOrPlaceholder(deps.directory, p.agency);
      const notice = {
        leadId: after.id, title, agencyName: agency.name, comment: p.returned.comment, dueAt: p.dueAt,
        workingDaysLeft: countWorkingDaysLeft(p.dueAt, at, deps.calendar.current(), deps.config.tz),
      };
      notices.push({ key: `returned:${p.id}:${p.returned.count}`, leadId: after.id, agency, to: [agency.email], template: { name: 'review-returned', input: notice } });
    }
    return noticesPlan(deps, notices, at);
  });
}

function full(p: Partial<Plan>): Plan {
  return { guards: [], writes: [], events: [], counters: [], ...p };
}
