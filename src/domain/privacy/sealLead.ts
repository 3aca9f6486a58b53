// What each caller sees of a lead, a lead list and a lead's full-process record (API.md §3):
// - the bureau and admin: everything, unmasked (the caller records each unmasked read);
// - agencies: everything about the lead, with reporters' personal data masked, in the
//   structured fields and inside every text (a confidential reporter as 保密);
// - viewers: the same, without the reporters at all;
// - supervisors: the progress of the lead (status, agency, dates, the approved rectification) and
//   their own reports, masked as for agencies; never anyone else's report, its text, evidence,
//   external id or the events about it.
import {
  disclosureFor, discloseReporter,
  type Disclosure, type EventView, type LeadRecord, type LeadSummary, type LeadView, type ReportRecord, type ReportView, type Viewer,
} from '../lead.ts';
import { maskDeep, textMasker, type Person, type TextMasker } from './maskText.ts';

export interface SealOptions {
  /** false: the bureau and admin see it masked too (workflow answers: working a lead does not unmask it). */
  unmask?: boolean;
}

export interface SealedLead {
  view: LeadView;
  /** Reports whose reporter's name or phone were shown unmasked: to be recorded. */
  unmaskedReports: string[];
}

export function disclosureOf(viewer: Viewer, opts: SealOptions = {}): Disclosure {
  const level = disclosureFor(viewer.role);
  return level === 'full' && opts.unmask === false ? 'masked' : level;
}

/** The reporters of these reports, as the text masker needs them. */
export function peopleOf(reports: readonly ReportRecord[]): Person[] {
  return reports.filter((r) => r.reporter.name || r.reporter.phone)
    .map((r) => ({ name: r.reporter.name, phone: r.reporter.phone, confidential: r.reporter.confidential }));
}

const maybe = (mask: TextMasker, s: string | null) => (s === null ? null : mask(s));

/** The supervisor's own reports among these. */
export function ownReports(reports: readonly ReportRecord[], viewer: Viewer): ReportRecord[] {
  if (viewer.role !== 'supervisor' || !viewer.supervisorId) return [];
  return reports.filter((r) => r.reporter.supervisorId === viewer.supervisorId);
}

function reportView(r: ReportRecord, level: Disclosure, mask: TextMasker): ReportView {
  return {
    id: r.id, source: r.source, externalId: r.externalId, receivedAt: r.receivedAt, reportedAt: r.reportedAt,
    revision: r.revision, duplicate: r.duplicate, title: mask(r.title), url: r.url, evidence: r.evidence,
    reporter: discloseReporter(r.reporter, level),
  };
}

/**
 * A lead's summary as the caller sees it, given every report of its family. For a supervisor the
 * title, content and place are those of its own first report, and the lead's classification,
 * routing reasons, other channels and candidates are left out.
 */
export function sealSummary(summary: LeadSummary, reports: readonly ReportRecord[], viewer: Viewer, opts: SealOptions = {}): LeadSummary {
  const level = disclosureOf(viewer, opts);
  if (level === 'full') return summary;
  const mask = textMasker(peopleOf(reports));
  if (viewer.role === 'supervisor') {
    const own = ownReports(reports, viewer);
    const first = own[0];
    return {
      id: summary.id, status: summary.status, mergedInto: summary.mergedInto,
      title: first ? mask(first.title) : '', content: first ? mask(first.content) : '', priority: summary.priority,
      address: first ? maybe(mask, first.address) : null, township: first?.township ?? null,
      subject: first ? maybe(mask, first.subject) : null, category: first?.category ?? null,
      channels: [...new Set(own.map((r) => r.source))], reportCount: own.length,
      routing: { agency: summary.routing.agency, transfer: null, reason: null },
      problemTypes: [], domain: null, duplicateCandidates: [],
      createdAt: summary.createdAt, updatedAt: summary.updatedAt,
    };
  }
  return {
    ...summary,
    title: mask(summary.title), content: mask(summary.content), address: maybe(mask, summary.address),
    subject: maybe(mask, summary.subject),
    routing: { ...summary.routing, reason: maybe(mask, summary.routing.reason) },
  };
}

/** One lead as the caller may see it. */
export function sealLead(rec: LeadRecord, viewer: Viewer, opts: SealOptions = {}): SealedLead {
  const level = disclosureOf(viewer, opts);
  if (level === 'full') {
    const identity = (s: string) => s;
    return {
      view: { ...rec.summary, reports: rec.reports.map((r) => reportView(r, level, identity)), assignments: rec.assignments, rectification: rec.rectification },
      unmaskedReports: rec.reports.filter((r) => r.reporter.name || r.reporter.phone).map((r) => r.id),
    };
  }
  const mask = textMasker(peopleOf(rec.reports));
  const shown = viewer.role === 'supervisor' ? ownReports(rec.reports, viewer) : rec.reports;
  return {
    view: {
      ...sealSummary(rec.summary, rec.reports, viewer, opts),
      reports: shown.map((r) => reportView(r, level, mask)),
      assignments: rec.assignments,
      rectification: rec.rectification && { ...rec.rectification, summary: mask(rec.rectification.summary) },
    },
    unmaskedReports: [],
  };
}

/** Lifecycle steps a supervisor follows, and the fields of each it sees: who, what status, which dates. */
const PROGRESS = new Set([
  'lead.assigned', 'assignment.acknowledged', 'assignment.feedback', 'lead.review.approved', 'lead.review.returned',
  'extension.approved', 'lead.rejected', 'lead.transferred', 'lead.closed', 'lead.merged', 'lead.unmerged',
]);
const PROGRESS_FIELDS = ['agency', 'role', 'from', 'to', 'into', 'ackDueAt', 'dueAt'];

/** A lead's full-process record as the caller may see it. */
export function sealEvents(
  events: readonly EventView[], reports: readonly ReportRecord[], viewer: Viewer, opts: SealOptions = {},
): EventView[] {
  const level = disclosureOf(viewer, opts);
  if (level === 'full') return [...events];
  const mask = textMasker(peopleOf(reports));
  if (viewer.role !== 'supervisor') return events.map((e) => ({ ...e, data: maskDeep(e.data, mask) }));
  const own = new Set(ownReports(reports, viewer).map((r) => r.id));
  const out: EventView[] = [];
  for (const e of events) {
    if (e.reportId !== null) {
      if (own.has(e.reportId)) out.push({ ...e, data: maskDeep(e.data, mask) });
      continue;
    }
    if (!PROGRESS.has(e.action)) continue;
    const data: Record<string, unknown> = {};
    for (const k of PROGRESS_FIELDS) if (k in e.data) data[k] = e.data[k];
    out.push({ ...e, data });
  }
  return out;
}
