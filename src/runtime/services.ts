// Wires a database and a configuration into the app's dependencies.
import { sha256Hex } from '../domain/crypto.ts';
import { NO_ROUTING } from '../domain/intake.ts';
import type { Clock } from '../domain/types.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDirectory } from '../db/seed.ts';
import type { AppDeps, Logger } from '../http/context.ts';
import type { Config } from './config.ts';
import type { Database } from './database.ts';

export async function prepareDatabase(database: Database, config: Config, clock: Clock): Promise<void> {
  await migrateToLatest(database.db, database.pgSchema);
  await seedDirectory(database.db, config.directory, clock.now().toISOString());
}

export async function buildDeps(database: Database, config: Config, clock: Clock, log: Logger): Promise<AppDeps> {
  return {
    db: database.db,
    dialect: database.dialect,
    clock,
    log,
    config: {
      tz: config.tz,
      webhookSecrets: config.webhookSecrets,
      adminTokenHash: config.adminToken ? sha256Hex(config.adminToken) : undefined,
      rateLimit: { perMinute: config.env.WEBHOOK_RATE_PER_MINUTE, burst: config.env.WEBHOOK_RATE_BURST },
      publicUrl: config.publicUrl,
    },
    dedupe: async () => ({ kind: 'new', candidates: [] }),
    route: () => NO_ROUTING,
  };
}
