import type { Generated } from 'kysely';

export interface LeadsTable {
  id: string;
  status: string;
  merged_into: string | null;
  title: string;
  content: string;
  priority: string;
  address: string | null;
  township: string | null;
  subject: string | null;
  category: string | null;
  routing_agency: string | null;
  routing_transfer: string | null;
  routing_reason: string | null;
  /** JSON: the full routing decision (candidates, rules that fired). */
  routing_detail: string | null;
  /** JSON array of problem types (突出问题类型). */
  problem_types: string;
  domain: string | null;
  /** JSON array of { leadId, score }. */
  candidates: string;
  /** JSON array of channels, in order of first report. */
  channels: string;
  report_count: number;
  /** JSON: pending extension, reopened flag and count, follow-ups since the last close. */
  lifecycle: string;
  created_at: string;
  updated_at: string;
  /** Moved by every write to the lead (migration 011): what a plan guards. */
  version: Generated<number>;
}
