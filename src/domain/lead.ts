// Lead identity, the API view of a lead and the sealing of reporters' personal data.
import type { LeadStatus, Priority, Role, Source, Transfer } from './types.ts';
import { CONFIDENTIAL, maskName, maskPhone } from './privacy/maskText.ts';

/** Readable, URL-safe, stable: XS-2026-000123. */
export function formatLeadId(year: number, n: number): string {
  return `XS-${year}-${String(n).padStart(6, '0')}`;
}
export function formatReportId(year: number, n: number): string {
  return `RP-${year}-${String(n).padStart(6, '0')}`;
}
export const LEAD_ID_PATTERN = /^XS-\d{4}-\d{6,}$/;

/** The calendar year of an instant in a time zone. */
export function yearIn(instant: Date, tz: string): number {
  let f = yearFormats.get(tz);
  if (!f) yearFormats.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric' })));
  return Number(f.format(instant));
}
const yearFormats = new Map<string, Intl.DateTimeFormat>();

export { maskName, maskPhone } from './privacy/maskText.ts';

export type Disclosure = 'full' | 'masked' | 'none';

/** Who sees reporters' names and phones: the bureau unmasked (and every such read is recorded), others masked, viewers nothing. */
export function disclosureFor(role: Role): Disclosure {
  if (role === 'admin' || role === 'bureau') return 'full';
  if (role === 'viewer') return 'none';
  return 'masked';
}

export interface ReporterView {
  name: string | null;
  phone: string | null;
  confidential: boolean;
  supervisorId?: string | null;
  outlet?: string | null;
}

export function discloseReporter(
  r: { name: string | null; phone: string | null; confidential: boolean; supervisorId: string | null; outlet: string | null },
  level: Disclosure,
): ReporterView | null {
  if (level === 'none') return null;
  const base = { confidential: r.confidential, supervisorId: r.supervisorId, outlet: r.outlet };
  if (level === 'full') return { name: r.name, phone: r.phone, ...base };
  if (r.confidential) return { name: r.name ? CONFIDENTIAL : null, phone: r.phone ? CONFIDENTIAL : null, ...base };
  return { name: r.name ? maskName(r.name) : null, phone: r.phone ? maskPhone(r.phone) : null, ...base };
}

export interface ReportView {
  id: string;
  source: Source;
  externalId: string;
  receivedAt: string;
  reportedAt: string;
  revision: number;
  duplicate: boolean;
  title: string;
  url: string | null;
  evidence: { url: string; kind?: string }[];
  reporter: ReporterView | null;
}

export interface AssignmentView {
  id: string;
  agency: string;
  role: 'primary' | 'assist';
  status: string;
  assignedAt: string;
  ackDueAt: string | null;
  dueAt: string | null;
  calendarProvisional: boolean;
}

export interface LeadView {
  id: string;
  status: LeadStatus;
  mergedInto: string | null;
  title: string;
  content: string;
  priority: Priority;
  address: string | null;
  township: string | null;
  subject: string | null;
  category: string | null;
  channels: Source[];
  reportCount: number;
  reports: ReportView[];
  routing: { agency: string | null; transfer: Transfer | null; reason: string | null };
  problemTypes: string[];
  domain: string | null;
  assignments: AssignmentView[];
  duplicateCandidates: { leadId: string; score: number }[];
  /** The rectification the bureau approved (审核通过), once the lead is closed that way. */
  rectification: Rectification | null;
  createdAt: string;
  updatedAt: string;
}

export interface Rectification {
  agency: string;
  summary: string;
  approvedAt: string;
}

/** A lead without its reports, assignments and rectification: what lists show. */
export type LeadSummary = Omit<LeadView, 'reports' | 'assignments' | 'rectification'>;

/** A reporter as stored: the structured fields of one report. */
export interface Reporter {
  name: string | null;
  phone: string | null;
  confidential: boolean;
  supervisorId: string | null;
  outlet: string | null;
}

/** One stored report, whole: what the read use cases seal before anyone sees it. */
export interface ReportRecord {
  id: string;
  /** The lead the report is stored under (a lead merged into the one read, for merged reports). */
  leadId: string;
  source: Source;
  externalId: string;
  receivedAt: string;
  reportedAt: string;
  revision: number;
  duplicate: boolean;
  title: string;
  content: string;
  address: string | null;
  township: string | null;
  subject: string | null;
  category: string | null;
  url: string | null;
  evidence: { url: string; kind?: string }[];
  reporter: Reporter;
}

/** One lead, whole, as the store reads it. */
export interface LeadRecord {
  summary: LeadSummary;
  /** Every report of the lead and of every lead merged into it. */
  reports: ReportRecord[];
  assignments: AssignmentView[];
  rectification: Rectification | null;
}

/** One entry of the full-process record as read. */
export interface EventView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  reportId: string | null;
  data: Record<string, unknown>;
  hash: string;
}

/** What part of the leads a caller may see: all, an agency's assignments, or the leads a supervisor's reports ended in (merges followed). */
export type Scope = { kind: 'all' } | { kind: 'agency'; agency: string } | { kind: 'supervisor'; supervisorId: string };

export interface LeadFilters {
  status?: LeadStatus;
  agency?: string;
  source?: Source;
  overdue?: boolean;
  q?: string;
  cursor?: { createdAt: string; id: string };
  limit: number;
  now: string;
}

/** Who reads: the token's role, id and binding. */
export interface Viewer {
  role: Role;
  tokenId: string;
  agency?: string | null;
  supervisorId?: string | null;
}

export function scopeOf(v: Viewer): Scope {
  if (v.role === 'agency') return { kind: 'agency', agency: v.agency ?? '\u0000' };
  if (v.role === 'supervisor') return { kind: 'supervisor', supervisorId: v.supervisorId ?? '\u0000' };
  return { kind: 'all' };
}

/** The reads of leads the application needs (src/db/stores/leads.ts implements it). */
export interface LeadReads {
  /** The lead with every report of its family, when the scope lets the caller see it. */
  find(id: string, scope: Scope): Promise<LeadRecord | undefined>;
  /** A page of leads (newest first), within the scope. */
  list(filters: LeadFilters, scope: Scope): Promise<LeadSummary[]>;
  /** Every report of each lead's family, by lead id. */
  reportsOf(leadIds: readonly string[]): Promise<Map<string, ReportRecord[]>>;
  /** The lead's full-process record, oldest first. */
  events(leadId: string): Promise<EventView[]>;
}

/** Channels in the order they first reported, without repeats. */
export function addChannel(channels: Source[], source: Source): Source[] {
  return channels.includes(source) ? channels : [...channels, source];
}
