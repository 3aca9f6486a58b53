// Every read the pages make goes through here, with the caller's scope and disclosure level
// (so one module decides what a role may see; the API's read use cases can replace these calls).
import { addDays, endOfLocalDay, localDate, WORKING_DAYS_BEFORE_WARNING } from '../../domain/calendar/index.ts';
import { disclosureFor } from '../../domain/lead.ts';
import { findVisibleLead, leadEvents, leadView, listLeads } from '../../db/stores/leads.ts';
import {
  agencyQueue, assignmentsOf, attentionCounts, leadHeads, mergedChildren, queuePage, reportTexts, workflowDetail,
  type QueueFilters,
} from '../../db/stores/queue.ts';
import type { Principal } from '../../db/stores/tokens.ts';
import { write } from '../../db/write.ts';
import type { AppDeps } from '../context.ts';
import { scopeOf } from '../routes/leads.ts';

export { COUNT_CAP, type AssignmentRow, type AttentionCounts, type QueueRow } from '../../db/stores/queue.ts';

/** The end of the day WORKING_DAYS_BEFORE_WARNING working days from now: "即将到期" until then. */
export function soonUntil(deps: AppDeps, now: string): string {
  const tz = deps.config.tz;
  const cal = deps.calendar.current();
  const today = localDate(now, tz);
  const day = cal.isCoveredYear(Number(today.slice(0, 4))) ? cal.addWorkingDays(today, WORKING_DAYS_BEFORE_WARNING) : addDays(today, 3);
  return new Date(endOfLocalDay(day, tz)).toISOString();
}

export function dashboardCounts(deps: AppDeps, now: string) {
  return attentionCounts(deps.reader, now, soonUntil(deps, now));
}

export async function queue(deps: AppDeps, f: Omit<QueueFilters, 'soonUntil'>) {
  const page = await queuePage(deps.reader, { ...f, soonUntil: soonUntil(deps, f.now) });
  const assignments = await assignmentsOf(deps.reader, page.rows.map((r) => r.id));
  return { ...page, assignments };
}

export function agencyLeads(deps: AppDeps, p: Principal, page: number, pageSize: number) {
  return agencyQueue(deps.reader, p.agency ?? '\u0000', page, pageSize);
}

export async function supervisorLeads(deps: AppDeps, p: Principal, now: string) {
  const rows = await listLeads(deps.reader, { limit: 200, now }, scopeOf(p));
  const assignments = await assignmentsOf(deps.reader, rows.map((r) => r.id));
  return { rows, assignments };
}

/**
 * One lead as the caller may see it, or undefined (not found, or not theirs). A read with
 * reporters unmasked is written to the full-process record, as the API does.
 */
export async function leadPage(deps: AppDeps, p: Principal, id: string) {
  const lead = await findVisibleLead(deps.reader, id, scopeOf(p));
  if (!lead) return undefined;
  const disclosure = disclosureFor(p.role);
  const { view, unmaskedReports } = await leadView(deps.reader, lead, disclosure);
  if (unmaskedReports.length > 0) {
    const at = deps.clock.now().toISOString();
    await write(deps.db, async (_tx, rec) => rec.record({
      leadId: lead.id, actor: p.tokenId, action: 'reporter.unmasked', at, data: { reports: unmaskedReports, role: p.role, via: 'page' },
    }));
  }
  const staff = p.role === 'bureau' || p.role === 'admin' || p.role === 'viewer';
  const [events, detail, candidates, children, texts] = await Promise.all([
    p.role === 'supervisor' ? Promise.resolve([]) : leadEvents(deps.reader, lead.id),
    workflowDetail(deps.reader, lead.id),
    staff ? leadHeads(deps.reader, view.duplicateCandidates.map((c) => c.leadId)) : Promise.resolve([]),
    staff ? mergedChildren(deps.reader, lead.id) : Promise.resolve([]),
    disclosure === 'full' ? reportTexts(deps.reader, view.reports.map((r) => r.id)) : Promise.resolve(new Map<string, string>()),
  ]);
  return { view, events, detail, candidates, children, texts };
}
