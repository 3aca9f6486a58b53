// Listing leads (GET /api/leads): scoped and sealed for the caller, one page at a time.
import { scopeOf, type LeadFilters, type LeadReads, type LeadSummary, type Viewer } from '../domain/lead.ts';
import { disclosureOf, sealSummary } from '../domain/privacy/sealLead.ts';

export interface ListLeadsDeps {
  reads: Pick<LeadReads, 'list' | 'reportsOf'>;
}

export interface LeadPage {
  items: LeadSummary[];
  /** Where the next page starts (the last lead read), or null at the end. */
  next: { createdAt: string; id: string } | null;
}

/**
 * One page of at most `filters.limit` leads, newest first. For a caller who sees masked text, the
 * text search `q` must match what that caller sees (a phone number or a name cannot be probed
 * for): such a page can hold fewer items than the limit and still have a next one.
 */
export async function listLeads(deps: ListLeadsDeps, viewer: Viewer, filters: LeadFilters): Promise<LeadPage> {
  const limit = filters.limit;
  // A supervisor's reports all come in as `supervisor`: asking for another source would probe the others'.
  if (viewer.role === 'supervisor' && filters.source && filters.source !== 'supervisor') return { items: [], next: null };
  // A supervisor's words are its own reports', not the lead's: its search runs on what it sees only.
  const q = viewer.role === 'supervisor' ? undefined : filters.q;
  const rows = await deps.reads.list({ ...filters, q, limit: limit + 1 }, scopeOf(viewer));
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  if (disclosureOf(viewer) === 'full') return { items: page, next };
  const reports = await deps.reads.reportsOf(page.map((l) => l.id));
  let items = page.map((l) => sealSummary(l, reports.get(l.id) ?? [], viewer));
  if (filters.q) {
    const q = filters.q.toLowerCase();
    items = items.filter((l) => l.title.toLowerCase().includes(q) || l.content.toLowerCase().includes(q));
  }
  return { items, next };
}
