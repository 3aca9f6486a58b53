// Reading one lead (GET /api/leads/{id}, and the answer of every workflow call): scoped to what the
// caller may see, sealed for its role; each read the bureau or admin makes unmasked is recorded,
// as a plan of one event committed before the lead is answered (no unmasked read goes unrecorded).
import type { PlanCommitter } from '../domain/plan.ts';
import { scopeOf, type LeadReads, type LeadView, type Viewer } from '../domain/lead.ts';
import { sealLead, type SealOptions } from '../domain/privacy/sealLead.ts';

export interface ReadLeadDeps {
  reads: Pick<LeadReads, 'find'>;
  /** Where the record of an unmasking is committed. */
  store: PlanCommitter;
  now(): Date;
}

/**
 * The lead as `viewer` may see it, or null when it does not exist or is outside the viewer's scope
 * (answer 404 alike). `unmask: false` masks it for the bureau too (workflow answers).
 */
export async function readLead(deps: ReadLeadDeps, viewer: Viewer, leadId: string, opts: SealOptions = {}): Promise<LeadView | null> {
  const rec = await deps.reads.find(leadId, scopeOf(viewer));
  if (!rec) return null;
  const { view, unmaskedReports } = sealLead(rec, viewer, opts);
  if (unmaskedReports.length > 0) {
    await deps.store.commit({
      guards: [], writes: [], counters: [],
      events: [{
        leadId: rec.summary.id, actor: viewer.tokenId, action: 'reporter.unmasked', at: deps.now().toISOString(),
        data: { reports: unmaskedReports, role: viewer.role },
      }],
    });
  }
  return view;
}
