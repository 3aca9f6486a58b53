// Lead identity, the API view of a lead and the sealing of reporters' personal data.
import type { LeadStatus, Priority, Role, Source, Transfer } from './types.ts';

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

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length < 8) return `${digits.slice(0, 1)}${'*'.repeat(digits.length - 3)}${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

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
  createdAt: string;
  updatedAt: string;
}

/** Channels in the order they first reported, without repeats. */
export function addChannel(channels: Source[], source: Source): Source[] {
  return channels.includes(source) ? channels : [...channels, source];
}
