// Every read the pages make goes through here, to a use case in src/app: leads, lists and
// timelines come from the same read use cases as the API (scoped and sealed for the caller), and
// the page-only lists (the queue, an agency's leads, candidates) have their titles sealed the same
// way before they leave.
import { agencyLeads as agencyLeadsOf } from '../../app/agencyLeads.ts';
import { attentionCounts } from '../../app/attentionCounts.ts';
import { bureauQueue } from '../../app/bureauQueue.ts';
import { campaignPage as campaignPageOf } from '../../app/campaignPage.ts';
import { dashboardHotspots as hotspotsFor } from '../../app/dashboardHotspots.ts';
import { leadPage as leadPageOf } from '../../app/leadPage.ts';
import { supervisorLeads as supervisorLeadsOf } from '../../app/supervisorLeads.ts';
import type { QueueFilters } from '../../domain/queue.ts';
import type { Principal } from '../../domain/tokens.ts';
import type { AppDeps } from '../context.ts';
import { readDeps, viewerOf } from '../routes/leads.ts';

export { COUNT_CAP, type AssignmentRow, type AttentionCounts, type QueueRow } from '../../domain/queue.ts';

export function dashboardCounts(deps: AppDeps, now: string) {
  return attentionCounts(deps, now);
}

export function queue(deps: AppDeps, p: Principal, f: Omit<QueueFilters, 'soonUntil'>) {
  return bureauQueue(deps, p, f);
}

/** The hotspots now, with their leads' titles as this caller may read them. */
export function dashboardHotspots(deps: AppDeps, p: Principal) {
  return hotspotsFor(deps, p);
}

/** A campaign, its figures and its latest leads (titles sealed for the caller). */
export function campaignPage(deps: AppDeps, p: Principal, id: string) {
  return campaignPageOf(deps, p, id);
}

export function agencyLeads(deps: AppDeps, p: Principal, page: number, pageSize: number) {
  return agencyLeadsOf(deps, p, page, pageSize);
}

export function supervisorLeads(deps: AppDeps, p: Principal, now: string) {
  return supervisorLeadsOf({ ...readDeps(deps), pages: deps.pages }, viewerOf(p), now);
}

/**
 * One lead as the caller may see it, or undefined (not found, or not theirs). The read use case
 * writes a read with reporters unmasked to the full-process record, as the API does.
 */
export function leadPage(deps: AppDeps, p: Principal, id: string) {
  return leadPageOf({ ...readDeps(deps), pages: deps.pages }, viewerOf(p), id);
}
