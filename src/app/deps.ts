// What the use cases need from the running service: the application's dependencies (made by
// src/runtime/services.ts, handed to createApp, the jobs and the CLI) and the slices of them
// that each use case takes. The handles to the database are passed through, typed only.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { CalendarHolder } from '../db/stores/calendar.ts';
import type { DeadlinePolicy } from '../domain/calendar/index.ts';
import type { Directory } from '../domain/directory.ts';
import type { DedupeOutcome, IndexRows, IntakeReads, RoutingProposal } from '../domain/intake.ts';
import type { PlanCommitter } from '../domain/plan.ts';
import type { Router } from '../domain/routing/index.ts';
import type { Clock, LeadDraft, Role } from '../domain/types.ts';
import type { NamedMailer } from '../notify/index.ts';
import type { ChannelInfo } from '../domain/channels.ts';
import type { HotspotRule } from '../domain/hotspots.ts';
import type { OutboxQueueReads } from '../domain/outboxQueue.ts';
import type { QueueReads } from '../domain/queue.ts';
import type { SourceLog, SourceLogReads } from '../domain/sourceLog.ts';
import type { TokenStore } from '../domain/tokens.ts';
import type { WebhookSource } from '../../webhooks/index.ts';

export interface Logger {
  info(fields: Record<string, unknown>): void;
  /** Something an operator should look at that did not stop the work (a failed delivery, a placeholder address). */
  warn(fields: Record<string, unknown>): void;
  error(fields: Record<string, unknown>): void;
}

export interface AppConfig {
  tz: string;
  /** The webhook sources (webhooks/index.ts): `POST /webhooks/{name}` for each. */
  sources: readonly WebhookSource[];
  /** Every channel with its Chinese label (the sources', then bureau and public). */
  channels: readonly ChannelInfo[];
  /** Secrets per inbound source; a source with none is switched off. Several = key rotation. */
  webhookSecrets: Partial<Record<string, string[]>>;
  adminTokenHash?: string;
  /** Signed webhook deliveries per source: a token bucket. */
  rateLimit: { perMinute: number; burst: number };
  /** The largest request body on /api, in bytes (default 1 MiB). */
  apiBodyLimit?: number;
  publicUrl: string;
  /** A confidently routed lead is assigned at once (交办) instead of waiting in triage. */
  autoDispatch: boolean;
  mailFrom: string;
  /** Callback endpoint and whsec_ secret per source (API.md §7); none: no callbacks. */
  callbacks?: Partial<Record<string, { url: string; secret: string }>>;
  /** The hotspot rule's thresholds (热点提示); the built-in ones when absent. */
  hotspots?: HotspotRule;
}

export interface AppDeps {
  /** Writes (plans, through src/db/commit.ts) and reads that must see them in the same step. */
  db: Kysely<DB>;
  /** The one commit of a plan: the Backend (src/db/commit.ts). */
  store: PlanCommitter;
  /** The reads intake plans on. */
  intakeReads: IntakeReads;
  /** Plain reads: lists, views, look-ups before a write. */
  reader: Kysely<DB>;
  dialect: 'sqlite' | 'postgres' | 'd1';
  clock: Clock;
  config: AppConfig;
  log: Logger;
  directory: Directory;
  router: Router;
  policy: DeadlinePolicy;
  calendar: CalendarHolder;
  mailer: NamedMailer;
  dedupe(draft: LeadDraft, at: string): Promise<DedupeOutcome>;
  /** After the intake commit: the report whose index rows (`indexWrite` of dedupe's outcome) it stored. */
  indexed?(rows: IndexRows, row: { reportId: string; leadId: string; seq: number }): void;
  route(draft: LeadDraft): RoutingProposal;
  /** Bearer tokens: sign-in, look-up on every request, token admin. */
  tokens: TokenStore;
  /** The outbox as operators see it (GET /api/outbox). */
  outboxQueue: OutboxQueueReads;
  /** The delivery log per source as read back (GET /api/sources). */
  sourceReads: SourceLogReads;
  /** The pages' lists and the lead page's detail. */
  pages: QueueReads;
  /** Counts the webhook answers per source (GET /api/sources). */
  sourceLog?: SourceLog;
  /** Request and delivery counts for /metrics (absent: /metrics is 404). */
  metrics?: MetricsPort;
  /** Stops what the dependencies started (the de-duplication worker); the database stays open. */
  close?(): Promise<void>;
}

export interface RequestObservation {
  method: string;
  /** The matched route pattern ('/api/leads/:id'), never the raw path: a bounded set of labels. */
  route: string;
  status: number;
  seconds: number;
  /** For POST /webhooks/{source}: the source named in the path. */
  webhookSource?: string;
}

export interface MetricsPort {
  observeRequest(o: RequestObservation): void;
  /** The exposition text, gauges read fresh. */
  render(): Promise<{ contentType: string; body: string }>;
}


export interface WorkflowDeps {
  db: Kysely<DB>;
  store: PlanCommitter;
  reader: Kysely<DB>;
  clock: Clock;
  config: { tz: string };
  directory: Directory;
  policy: DeadlinePolicy;
  calendar: CalendarHolder;
}

/** Who acts: the token (or session's token) behind a call. */
export interface Caller {
  tokenId: string;
  role: Role;
  agency?: string;
  supervisorId?: string;
}
