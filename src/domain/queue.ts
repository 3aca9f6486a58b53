// The pages' lists as the application sees them: the bureau's queue with its filters and paging,
// an agency's own leads by deadline, the dashboard's counts, the lead page's workflow detail; and
// the port the queue store implements (src/db/stores/queue.ts, wired in src/runtime/ports.ts).
import type { ReportRecord } from './lead.ts';
import type { LeadStatus, Source } from './types.ts';

export interface QueueFilters {
  status?: LeadStatus;
  agency?: string;
  channel?: Source;
  township?: string;
  /** 执法领域 */
  domain?: string;
  problemType?: string;
  overdue?: boolean;
  /** Open deadlines falling between now and `soonUntil`. */
  dueSoon?: boolean;
  /** An extension request waits for the bureau. */
  extension?: boolean;
  /** Created at or after (UTC ISO). */
  from?: string;
  /** Created before (UTC ISO). */
  to?: string;
  q?: string;
  now: string;
  soonUntil: string;
  page: number;
  pageSize: number;
}

export interface QueueRow {
  id: string;
  status: string;
  title: string;
  priority: string;
  township: string | null;
  channels: string;
  report_count: number;
  routing_agency: string | null;
  routing_transfer: string | null;
  problem_types: string;
  created_at: string;
  merged_into: string | null;
}

/** Counting stops here: beyond it the page says "more than" (a count of 100 000 rows costs a scan). */
export const COUNT_CAP = 1000;

export interface QueuePage { rows: QueueRow[]; total: number; capped: boolean; hasNext: boolean }

export interface AssignmentRow {
  id: string;
  lead_id: string;
  agency: string;
  role: string;
  status: string;
  ack_due_at: string | null;
  due_at: string | null;
}

export type AgencyQueueRow = QueueRow & { a_status: string; ack_due_at: string | null; due_at: string | null };

export interface AttentionCounts { triage: number; dueSoon: number; overdue: number; feedback: number; extension: number }

/** What the lead page shows of the workflow beyond the API view: feedback, returns, extensions. */
export interface WorkflowDetail {
  lifecycle: { pendingExtension?: { assignmentId: string; agency: string; workingDays: number; reason: string; requestedAt: string } };
  routingDetail: { candidates?: { agency: string; rules?: string[] }[] } | null;
  assignments: Map<string, {
    feedback?: { summary: string; measures: string; evidence: { url: string }[]; at: string };
    returned?: { comment: string; at: string; count: number };
    extension?: { workingDays: number; reason: string; requestedAt: string; status: string; comment?: string };
  }>;
}

export interface CampaignLeadRow { id: string; title: string; status: string; created_at: string; via: string }

export interface QueueReads {
  /** One page, newest first, with the total exact up to COUNT_CAP. */
  queuePage(f: QueueFilters): Promise<QueuePage>;
  /** The assignments of the leads on a page. */
  assignmentsOf(leadIds: string[]): Promise<AssignmentRow[]>;
  /** An agency's own assignments, open ones first by the deadline that matters now. */
  agencyQueue(agency: string, page: number, pageSize: number): Promise<{ rows: AgencyQueueRow[]; total: number }>;
  attentionCounts(now: string, soonUntil: string): Promise<AttentionCounts>;
  leadHeads(ids: string[]): Promise<{ id: string; title: string; status: string }[]>;
  mergedChildren(id: string): Promise<{ id: string; title: string }[]>;
  workflowDetail(id: string): Promise<WorkflowDetail>;
  /** The texts of reports (for the bureau only). */
  reportTexts(reportIds: string[]): Promise<Map<string, string>>;
  /** A campaign's leads, newest first. */
  campaignLeads(campaign: string, limit: number): Promise<CampaignLeadRow[]>;
  /** The reports (with their reporters) of leads: what their titles and texts are masked against. */
  reportsOf(leadIds: readonly string[]): Promise<Map<string, ReportRecord[]>>;
}
