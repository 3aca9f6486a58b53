// What every request handler can reach: the dependencies given to createApp, and who is calling.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { Principal } from '../db/stores/tokens.ts';
import type { DedupeOutcome, RoutingProposal } from '../domain/intake.ts';
import type { Clock, LeadDraft } from '../domain/types.ts';
import type { RateLimit } from './middleware/rateLimit.ts';
import type { DeadlinePolicy } from '../domain/calendar/index.ts';
import type { Directory } from '../domain/directory.ts';
import type { Router } from '../domain/routing/index.ts';
import type { CalendarHolder } from '../db/stores/calendar.ts';
import type { NamedMailer } from '../notify/index.ts';
import type { SourceLog } from '../db/stores/sourceLog.ts';
import type { MetricsPort } from './metrics.ts';
import type { HotspotRule } from '../domain/hotspots.ts';
import type { ChannelInfo } from '../domain/channels.ts';
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
  rateLimit: RateLimit;
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
  /** Writes (through src/db/write.ts) and reads that must see them in the same step. */
  db: Kysely<DB>;
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
  indexed?(indexWrite: unknown, row: { reportId: string; leadId: string; seq: number }): void;
  route(draft: LeadDraft): RoutingProposal;
  /** Counts the webhook answers per source (GET /api/sources). */
  sourceLog?: SourceLog;
  /** Request and delivery counts for /metrics (absent: /metrics is 404). */
  metrics?: MetricsPort;
  /** Stops what the dependencies started (the de-duplication worker); the database stays open. */
  close?(): Promise<void>;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}
