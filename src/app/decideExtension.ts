// 延期 批准 / 驳回: the bureau decides a pending extension request; the agency is told.
import { decideExtension as decide } from '../domain/lifecycle/index.ts';
import { agencyOrPlaceholder } from './notices.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { leadTitle, noticesPlan, runTransition } from './runTransition.ts';

export function decideExtension(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  return runTransition(deps, caller, id, (s, a, at, ctx) => decide(s, a, at, input as never, ctx), async (before, after, at) => {
    const decided = before.pendingExtension;
    if (!decided) return {};
    const x = after.assignments.find((y) => y.id === decided.assignmentId);
    if (!x?.extension) return {};
    const agency = agencyOrPlaceholder(deps.directory, x.agency);
    const notice = {
      leadId: after.id, title: await leadTitle(deps.db, after.id), agencyName: agency.name,
      approved: x.extension.status === 'approved', workingDays: x.extension.workingDays, dueAt: x.dueAt,
      ...(x.extension.comment ? { comment: x.extension.comment } : {}),
    };
    return noticesPlan(deps, [{ key: `extension:${x.id}:${x.extension.requestedAt}`, leadId: after.id, agency, to: [agency.email], template: { name: 'extension-decision', input: notice } }], at);
  });
}
