// Reading a lead's full-process record (GET /api/leads/{id}/events), scoped and sealed for the caller:
// masked for everyone but the bureau and admin, and a supervisor's view holds only its own
// reports' events and the lead's progress.
import { scopeOf, type EventView, type LeadReads, type Viewer } from '../domain/lead.ts';
import { sealEvents } from '../domain/privacy/sealLead.ts';

export interface LeadEventsDeps {
  reads: Pick<LeadReads, 'find' | 'events'>;
}

/** The lead's record, oldest first, or null when the lead is not there for this viewer (404). */
export async function leadEvents(deps: LeadEventsDeps, viewer: Viewer, leadId: string): Promise<{ leadId: string; items: EventView[] } | null> {
  const rec = await deps.reads.find(leadId, scopeOf(viewer));
  if (!rec) return null;
  const events = await deps.reads.events(rec.summary.id);
  return { leadId: rec.summary.id, items: sealEvents(events, rec.reports, viewer) };
}
