// 交办 as a side effect: notices for new assignments, and automatic dispatch of confidently routed leads.
import { assign, initialLeadState, type LeadState, type TransitionContext } from '../domain/lifecycle/index.ts';
import type { RoutingProposal } from '../domain/intake.ts';
import type { Priority } from '../domain/types.ts';
import { saveLeadState } from '../db/stores/lifecycle.ts';
import type { Recorder, Tx } from '../db/write.ts';
import type { JobDeps } from './context.ts';
import { agencyOrPlaceholder, queueNotice } from './messages.ts';

/** A 交办通知 to every agency that got a new assignment between `before` and `after`. */
export async function queueAssignmentNotices(
  tx: Tx, deps: Pick<JobDeps, 'directory'>, before: LeadState, after: LeadState, title: string, at: string,
): Promise<void> {
  const known = new Set(before.assignments.map((x) => x.id));
  for (const x of after.assignments.filter((y) => !known.has(y.id))) {
    const agency = agencyOrPlaceholder(deps.directory, x.agency);
    const input = {
      leadId: after.id, title, agencyName: agency.name, role: x.role, priority: after.priority,
      ackDueAt: x.ackDueAt, dueAt: x.dueAt, calendarProvisional: x.calendarProvisional,
    };
    await queueNotice(tx, { key: `assign:${x.id}`, leadId: after.id, agency, to: [agency.email], template: { name: 'assignment', input } }, at);
    if (x.calendarProvisional) {
      // Once a year: the bureau must enter that year's published arrangement (API.md §5).
      const year = Number(x.dueAt.slice(0, 4));
      await queueNotice(tx, {
        key: `calendar-provisional:${year}`, leadId: after.id, agency: null, to: [deps.directory.bureauEmail],
        template: { name: 'provisional-calendar', input: { leadId: after.id, title, agencyName: agency.name, year, dueAt: x.dueAt } },
      }, at);
    }
  }
}

/**
 * With automatic dispatch on, a lead routed with confidence to an agency (and no transfer to
 * decide) is assigned at once by the system, in the same commit that created it.
 */
export async function autoDispatch(
  tx: Tx, rec: Recorder, deps: Pick<JobDeps, 'directory' | 'config'>, ctx: TransitionContext,
  lead: { id: string; title: string; priority: Priority; routing: RoutingProposal }, at: string,
): Promise<boolean> {
  const r = lead.routing;
  if (!deps.config.autoDispatch || !r.confident || !r.agency || r.transfer) return false;
  const before = initialLeadState({ id: lead.id, priority: lead.priority, routing: { agency: r.agency, transfer: null } });
  const { state: after, events } = assign(before, { id: 'system:dispatch', role: 'system' }, at, { agency: r.agency }, ctx);
  await saveLeadState(tx, before, after, at, ctx.calendar, ctx.tz);
  rec.record(...events);
  await queueAssignmentNotices(tx, deps, before, after, lead.title, at);
  return true;
}
