// Which callbacks the events of one commit cause (API.md §7). Pure: the caller reads the facts
// (the lead's reports, its status, the approved summary) inside the same transaction and queues
// what this returns in the same commit.
//
// A report-level event (a report accepted, a report joining a lead at intake) goes to that report's
// source only. A lead-level event goes to every report of the lead, those of leads merged into it
// included. Each callback carries only its own report's ids, never another reporter's.
import { maskText } from './mask.ts';
import { type CallbackBody, type CallbackData, type CallbackType } from './types.ts';

/** An event as recorded in the full-process record (its place in the chain is `seq`). */
export interface RecordedEvent {
  seq: number;
  action: string;
  leadId: string | null;
  reportId: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface CallbackReport {
  id: string;
  source: string;
  externalId: string;
  reporterName: string | null;
}

/** What the store reads for one event. */
export interface LeadFacts {
  /** The lead the event's reports belong to after the commit (the target of a merge). */
  leadId: string;
  status: CallbackData['status'];
  /** Every report of the event's lead, those of leads merged into it included (only the one, for a report-level event). */
  reports: CallbackReport[];
  /** The rectification summary the bureau approved (lead.review.approved). */
  summary?: string | null;
  agencyName?: string;
}

export interface PlannedCallback {
  /** Unique per event and report: the same event never queues twice. */
  key: string;
  seq: number;
  source: string;
  reportId: string;
  leadId: string;
  type: CallbackType;
  body: CallbackBody;
}

/**
 * The events that cause callbacks, and what each one needs read: the lead whose reports it goes
 * to (or only the one report, for a report-level event) and the lead whose status it tells.
 */
export function callbackTrigger(e: RecordedEvent): { reportsOf: string; onlyReport?: string; statusOf: string } | null {
  if (!e.leadId) return null;
  switch (e.action) {
    case 'report.received':
    case 'lead.report-merged':
      return e.reportId ? { reportsOf: e.leadId, onlyReport: e.reportId, statusOf: e.leadId } : null;
    case 'lead.merged':
      return typeof e.data.into === 'string' ? { reportsOf: e.leadId, statusOf: e.data.into } : null;
    case 'lead.assigned':
    case 'lead.review.approved':
    case 'lead.closed':
    case 'lead.rejected':
    case 'lead.transferred':
      return { reportsOf: e.leadId, statusOf: e.leadId };
    default:
      return null;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The callbacks of the events of one commit, in the events' order. `factsOf` gives the facts read
 * for an event that callbackTrigger selected; `enabled` holds the sources with a callback.
 */
export function planCallbacks(
  events: readonly RecordedEvent[], factsOf: (e: RecordedEvent) => LeadFacts | undefined, enabled: ReadonlySet<string>,
): PlannedCallback[] {
  const out: PlannedCallback[] = [];
  const joinedAtIntake = new Set(events.filter((e) => e.action === 'lead.report-merged').map((e) => e.reportId));
  for (const e of events) {
    if (!callbackTrigger(e)) continue;
    const facts = factsOf(e);
    if (!facts) continue;
    const names = facts.reports.map((r) => r.reporterName).filter((n): n is string => Boolean(n));
    const mask = (text: string) => maskText(text, names);
    let type: CallbackType;
    let extra: Record<string, unknown>;
    let reports = facts.reports;
    switch (e.action) {
      case 'report.received':
        type = 'report.accepted';
        extra = { duplicate: joinedAtIntake.has(e.reportId) };
        reports = reports.filter((r) => r.id === e.reportId);
        break;
      case 'lead.report-merged':
        type = 'report.merged';
        extra = { mergedFrom: null };
        reports = reports.filter((r) => r.id === e.reportId);
        break;
      case 'lead.merged':
        type = 'report.merged';
        extra = { mergedFrom: e.leadId };
        break;
      case 'lead.assigned':
        type = 'lead.assigned';
        extra = { agency: str(e.data.agency), agencyName: facts.agencyName ?? str(e.data.agency), role: e.data.role === 'assist' ? 'assist' : 'primary', dueAt: str(e.data.dueAt) };
        break;
      case 'lead.review.approved':
        type = 'lead.closed';
        extra = { summary: mask(facts.summary ?? ''), closedAt: e.at };
        break;
      case 'lead.closed':
        type = 'lead.closed';
        extra = { summary: mask(str(e.data.reason)), closedAt: e.at };
        break;
      case 'lead.rejected':
        type = 'lead.rejected';
        extra = { reason: mask(str(e.data.reason)) };
        break;
      case 'lead.transferred':
        type = 'lead.transferred';
        extra = { to: e.data.transfer === 'judicial' ? 'judicial' : 'discipline', reason: mask(str(e.data.note)) };
        break;
      default:
        continue;
    }
    for (const r of reports) {
      // Only webhook sources configure a callback, so `enabled` never holds bureau or public.
      if (!enabled.has(r.source)) continue;
      const data = {
        source: r.source, externalId: r.externalId, reportId: r.id, leadId: facts.leadId, status: facts.status, ...extra,
      } as CallbackData;
      out.push({
        key: `${e.seq}:${r.id}`, seq: e.seq, source: r.source, reportId: r.id, leadId: facts.leadId, type,
        body: { type, timestamp: e.at, data },
      });
    }
  }
  return out;
}
