import type { AgenciesTable } from './agencies.ts';
import type { AssignmentsTable } from './assignments.ts';
import type { CountersTable } from './counters.ts';
import type { AuditHeadTable, EventsTable } from './events.ts';
import type { LeadsTable } from './leads.ts';
import type { DeliveriesTable, ReportRevisionsTable, ReportsTable } from './reports.ts';
import type { SourcesTable } from './sources.ts';
import type { TokensTable } from './tokens.ts';
import type { LoginLinksTable, SessionsTable } from './sessions.ts';
import type { PublicationsTable } from './publications.ts';
import type { CampaignExclusionsTable, CampaignLeadsTable, CampaignsTable } from './campaigns.ts';
import type {
  DedupeDfLogTable, DedupeFingerprintTable, DedupeSketchTable,
} from './dedupe.ts';
import type { CallbacksTable, SourceCallbacksTable, SourceLogTable } from './callbacks.ts';
import type { CalendarOverridesTable, FollowUpsTable, JobRunsTable, OutboxTable, RemindersTable } from './tracking.ts';

export interface DB {
  sources: SourcesTable;
  agencies: AgenciesTable;
  counters: CountersTable;
  leads: LeadsTable;
  reports: ReportsTable;
  report_revisions: ReportRevisionsTable;
  deliveries: DeliveriesTable;
  assignments: AssignmentsTable;
  tokens: TokensTable;
  events: EventsTable;
  audit_head: AuditHeadTable;
  reminders: RemindersTable;
  outbox: OutboxTable;
  follow_ups: FollowUpsTable;
  calendar_overrides: CalendarOverridesTable;
  job_runs: JobRunsTable;
  dedupe_df_log: DedupeDfLogTable;
  dedupe_sketch: DedupeSketchTable;
  dedupe_fingerprint: DedupeFingerprintTable;
  sessions: SessionsTable;
  login_links: LoginLinksTable;
  source_callbacks: SourceCallbacksTable;
  callbacks: CallbacksTable;
  source_log: SourceLogTable;
  publications: PublicationsTable;
  campaigns: CampaignsTable;
  campaign_leads: CampaignLeadsTable;
  campaign_exclusions: CampaignExclusionsTable;
  /** Never holds a row: a plan's guards insert into it to fail (migration 011, src/db/commit.ts). */
  plan_guard: { ok: number };
}
