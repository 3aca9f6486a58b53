// Every read the pages make goes through here: leads, lists and timelines come from the same read
// use cases as the API (src/app: scoped and sealed for the caller), and the page-only lists (the
// queue, an agency's leads, candidates) have their titles sealed the same way before they leave.
import { addDays, endOfLocalDay, localDate, WORKING_DAYS_BEFORE_WARNING } from '../../domain/calendar/index.ts';
import { disclosureFor } from '../../domain/lead.ts';
import { maskDeep, textMasker } from '../../domain/privacy/maskText.ts';
import { peopleOf } from '../../domain/privacy/sealLead.ts';
import { reportsOf } from '../../db/stores/leads.ts';
import { readLead } from '../../app/readLead.ts';
import { leadEvents } from '../../app/leadEvents.ts';
import { listLeads } from '../../app/listLeads.ts';
import {
  agencyQueue, assignmentsOf, attentionCounts, leadHeads, mergedChildren, queuePage, reportTexts, workflowDetail,
  type QueueFilters,
} from '../../db/stores/queue.ts';
import type { Principal } from '../../domain/tokens.ts';
import { campaignLeadList } from '../../db/stores/campaigns.ts';
import { currentHotspots } from '../../app/hotspots.ts';
import { campaignView } from '../../app/campaigns.ts';
import type { AppDeps } from '../context.ts';
import { readDeps, viewerOf } from '../routes/leads.ts';

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

/** Titles as this caller may read them: whole for the bureau, otherwise without personal data. */
async function sealTitles<T extends { id: string; title: string }>(deps: AppDeps, p: Principal, rows: T[]): Promise<T[]> {
  if (disclosureFor(p.role) === 'full' || rows.length === 0) return rows;
  const reports = await reportsOf(deps.reader, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, title: textMasker(peopleOf(reports.get(r.id) ?? []))(r.title) }));
}

export async function queue(deps: AppDeps, p: Principal, f: Omit<QueueFilters, 'soonUntil'>) {
  // Searching the whole text would let a caller who reads it masked probe for a phone or a name.
  const search = disclosureFor(p.role) === 'full' ? f.q : undefined;
  const page = await queuePage(deps.reader, { ...f, q: search, soonUntil: soonUntil(deps, f.now) });
  const assignments = await assignmentsOf(deps.reader, page.rows.map((r) => r.id));
  return { ...page, rows: await sealTitles(deps, p, page.rows), assignments, searchIgnored: Boolean(f.q) && !search };
}

/** The hotspots now, with their leads' titles as this caller may read them. */
export async function dashboardHotspots(deps: AppDeps, p: Principal) {
  const report = await currentHotspots(deps);
  for (const h of report.hotspots) h.leads = await sealTitles(deps, p, h.leads);
  return report;
}

/** How many of a campaign's leads its page lists. */
export const CAMPAIGN_LEADS_SHOWN = 200;

/** A campaign, its figures and its latest leads (titles sealed for the caller). */
export async function campaignPage(deps: AppDeps, p: Principal, id: string) {
  const view = await campaignView(deps, id);
  const leads = await sealTitles(deps, p, await campaignLeadList(deps.reader, id, CAMPAIGN_LEADS_SHOWN));
  return { ...view, list: leads };
}

export async function agencyLeads(deps: AppDeps, p: Principal, page: number, pageSize: number) {
  const list = await agencyQueue(deps.reader, p.agency ?? '\u0000', page, pageSize);
  return { ...list, rows: await sealTitles(deps, p, list.rows) };
}

export async function supervisorLeads(deps: AppDeps, p: Principal, now: string) {
  const { items } = await listLeads(readDeps(deps), viewerOf(p), { limit: 200, now });
  const rows = items.map((l) => ({ id: l.id, title: l.title, status: l.status, created_at: l.createdAt }));
  const assignments = await assignmentsOf(deps.reader, rows.map((r) => r.id));
  return { rows, assignments };
}

/**
 * One lead as the caller may see it, or undefined (not found, or not theirs). The read use case
 * writes a read with reporters unmasked to the full-process record, as the API does.
 */
export async function leadPage(deps: AppDeps, p: Principal, id: string) {
  const viewer = viewerOf(p);
  const view = await readLead(readDeps(deps), viewer, id);
  if (!view) return undefined;
  const disclosure = disclosureFor(p.role);
  const staff = p.role === 'bureau' || p.role === 'admin' || p.role === 'viewer';
  const [events, detail, candidates, children, texts] = await Promise.all([
    leadEvents(readDeps(deps), viewer, view.id).then((e) => e?.items ?? []),
    workflowDetail(deps.reader, view.id),
    staff ? leadHeads(deps.reader, view.duplicateCandidates.map((c) => c.leadId)).then((rows) => sealTitles(deps, p, rows)) : Promise.resolve([]),
    staff ? mergedChildren(deps.reader, view.id).then((rows) => sealTitles(deps, p, rows)) : Promise.resolve([]),
    disclosure === 'full' ? reportTexts(deps.reader, view.reports.map((r) => r.id)) : Promise.resolve(new Map<string, string>()),
  ]);
  if (disclosure !== 'full') {
    // Feedback, return comments and extension reasons are free text too.
    const mask = textMasker(peopleOf((await reportsOf(deps.reader, [view.id])).get(view.id) ?? []));
    detail.lifecycle = maskDeep(detail.lifecycle, mask);
    for (const [k, v] of detail.assignments) detail.assignments.set(k, maskDeep(v, mask));
  }
  return { view, events, detail, candidates, children, texts };
}
