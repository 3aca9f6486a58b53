// Wires a database and a configuration into the app's dependencies.
import { channelNamer } from '../domain/channels.ts';
import { sha256Hex } from '../domain/crypto.ts';
import { auditKey } from '../domain/audit.ts';
import { recordMissingStates, startAuditChain } from '../db/stores/audit.ts';
import { BUILT_IN_DEADLINE_POLICY, deadlinePolicySchema, type DeadlinePolicy } from '../domain/calendar/index.ts';
import { BUILTIN_RULES_DATA, compileRules, validateRules, type Router } from '../domain/routing/index.ts';
import { routingProposal } from '../domain/routing/proposal.ts';
import type { Clock } from '../domain/types.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDirectory } from '../db/seed.ts';
import { setCallbackSources } from '../db/stores/callbacks.ts';
import { createSourceLog } from '../db/stores/sourceLog.ts';
import { createCalendarHolder, type CalendarHolder } from '../db/stores/calendar.ts';
import { dedupeLookUp, sqlDedupeIndex } from '../db/stores/dedupe.ts';
import { intakeReads } from '../db/stores/intake.ts';
import { DEFAULT_DEDUPE_CONFIG, DedupeOptionsSchema, type DedupeConfig } from '../domain/dedupe/index.ts';
import { ChangeGate } from '../domain/dedupe/changeGate.ts';
import { dedupeThread } from './dedupeThread.ts';
import { storePorts } from './ports.ts';
import type { AppDeps, Logger } from '../app/deps.ts';
import type { JobDeps } from '../app/jobDeps.ts';
import { rehearse } from '../db/rehearse.ts';
import { createMailer } from '../notify/node/index.ts';
import type { Config } from './config.ts';
import type { Database } from './database.ts';

/** Applies the migrations not yet applied (`xiansuo migrate`); answers their names, in order. */
export async function applyMigrations(database: Database): Promise<string[]> {
  const result = await migrateToLatest(database.db, database.pgSchema);
  return result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
}

export async function prepareDatabase(database: Database, config: Config, clock: Clock): Promise<void> {
  await migrateToLatest(database.db, database.pgSchema);
  await startAuditChain(database.db, config.auditKey ? auditKey(config.auditKey) : undefined, clock.now().toISOString());
  await recordMissingStates(database.db, clock.now().toISOString());
  await seedDirectory(database.db, config.directory, clock.now().toISOString(), config.channels);
}

/**
 * Records which sources have a callback, so that every write queues theirs (API.md §7). Run by the
 * serving process only: an operator's `xiansuo token create` in a shell without the CALLBACK_*
 * variables must not switch callbacks off.
 */
export async function registerCallbacks(database: Database, config: Config, clock: Clock): Promise<void> {
  const urls = Object.fromEntries(Object.entries(config.callbacks).map(([s, e]) => [s, e!.url]));
  await setCallbackSources(database.db, urls, clock.now().toISOString());
}

/** The routing rules of XIANSUO_CONFIG (or the built-in set), validated: an error names the bad rule. */
export function loadRouter(config: Config): Router {
  const result = validateRules(config.file.routing ?? BUILTIN_RULES_DATA, config.directory);
  if (!result.ok) throw new Error(`配置错误（routing）：${result.errors.join('；')}`);
  return compileRules(result.rules, config.directory, channelNamer(config.channels));
}

export function loadPolicy(config: Config): DeadlinePolicy {
  if (config.file.deadlines === undefined) return BUILT_IN_DEADLINE_POLICY;
  const parsed = deadlinePolicySchema.safeParse(config.file.deadlines);
  if (!parsed.success) {
    throw new Error(`配置错误（deadlines）：${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；')}`);
  }
  return parsed.data;
}

export function loadDedupeConfig(config: Config): DedupeConfig {
  if (config.file.dedupe === undefined) return DEFAULT_DEDUPE_CONFIG;
  const parsed = DedupeOptionsSchema.safeParse(config.file.dedupe);
  if (!parsed.success) {
    throw new Error(`配置错误（dedupe）：${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；')}`);
  }
  return { ...DEFAULT_DEDUPE_CONFIG, ...parsed.data };
}

/** Whether a writer other than the backend's connection has committed since the last call (true when it cannot tell). */
function othersCommitted(database: Database): () => boolean {
  const gate = new ChangeGate(database.backend.changeProbe(database.db));
  return () => {
    const change = gate.check();
    if (change) gate.saw(change.version);
    return change !== null;
  };
}

/** The settings the app reads, from the configuration. */
export function appConfig(config: Config): AppDeps['config'] {
  return {
    tz: config.tz,
    sources: config.sources, channels: config.channels, webhookSecrets: config.webhookSecrets,
    adminTokenHash: config.adminToken ? sha256Hex(config.adminToken) : undefined,
    rateLimit: { perMinute: config.env.WEBHOOK_RATE_PER_MINUTE, burst: config.env.WEBHOOK_RATE_BURST },
    apiBodyLimit: config.env.XIANSUO_API_BODY_LIMIT,
    publicUrl: config.publicUrl,
    autoDispatch: config.env.XIANSUO_AUTO_DISPATCH === 'on',
    mailFrom: config.env.MAIL_FROM,
    callbacks: config.callbacks,
    hotspots: config.hotspots,
  };
}

export function mailerOf(config: Config, clock: Clock) {
  return createMailer({ smtpUrl: config.env.SMTP_URL, from: config.env.MAIL_FROM, mailDir: config.env.XIANSUO_MAIL_DIR, now: () => clock.now() });
}

/** The working-day calendar (published holidays and the bureau's overrides), loaded. */
export async function loadCalendar(database: Pick<Database, 'db'>): Promise<CalendarHolder> {
  const calendar = createCalendarHolder(database.db);
  await calendar.reload();
  return calendar;
}

/** What scheduled work and the operator's commands need, without the intake's machinery (no worker thread). */
export async function buildJobDeps(database: Database, config: Config, clock: Clock, log: Logger): Promise<JobDeps> {
  const calendar = createCalendarHolder(database.db);
  await calendar.reload();
  return {
    db: database.db, reader: database.reader, store: database.backend, directory: config.directory, calendar, config: appConfig(config),
    log, mailer: mailerOf(config, clock), clock, rehearse: (work) => rehearse(database.db, work),
  };
}

export async function buildDeps(database: Database, config: Config, clock: Clock, log: Logger): Promise<AppDeps> {
  const router = loadRouter(config);
  const policy = loadPolicy(config);
  const dedupeConfig = loadDedupeConfig(config);
  const index = sqlDedupeIndex(database.reader);
  // A worker thread needs a database it can open too: not an in-memory one.
  const thread = config.env.XIANSUO_DEDUPE_THREAD === 'on' && database.url !== ':memory:'
    ? dedupeThread({ url: database.url, pgSchema: database.pgSchema, config: dedupeConfig }, index,
      (err) => log.error({ msg: '查重工作线程出错，改在请求线程中查重', err: String(err) }), othersCommitted(database))
    : undefined;
  const calendar = createCalendarHolder(database.db);
  await calendar.reload();
  const sourceLog = createSourceLog(database.db, { onError: (err) => log.error({ msg: '来源投递日志写入失败', err: String(err) }) });
  return {
    db: database.db,
    store: database.backend,
    intakeReads: intakeReads(database.reader),
    reader: database.reader,
    dialect: database.dialect,
    clock,
    log,
    config: appConfig(config),
    directory: config.directory,
    router,
    policy,
    calendar,
    mailer: mailerOf(config, clock),
    ...dedupeLookUp(index, dedupeConfig, thread),
    route: (draft) => routingProposal(router, draft),
    ...storePorts(database),
    sourceLog,
    close: async () => {
      await sourceLog.flush().catch((err) => log.error({ msg: '来源投递日志写入失败', err: String(err) }));
      await thread?.close();
    },
  };
}
