// What every request handler can reach: the dependencies given to createApp, and who is calling.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { Principal } from '../db/stores/tokens.ts';
import type { DedupeDecision, RoutingProposal } from '../domain/intake.ts';
import type { Clock, LeadDraft } from '../domain/types.ts';
import type { RateLimit } from './middleware/rateLimit.ts';

export interface Logger {
  info(fields: Record<string, unknown>): void;
  error(fields: Record<string, unknown>): void;
}

export interface AppConfig {
  tz: string;
  /** Secrets per inbound source; a source with none is switched off. Several = key rotation. */
  webhookSecrets: Partial<Record<string, string[]>>;
  adminTokenHash?: string;
  rateLimit: RateLimit;
  publicUrl: string;
}

export interface AppDeps {
  db: Kysely<DB>;
  dialect: 'sqlite' | 'postgres' | 'd1';
  clock: Clock;
  config: AppConfig;
  log: Logger;
  dedupe(draft: LeadDraft, at: string): Promise<DedupeDecision>;
  route(draft: LeadDraft): RoutingProposal;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}
