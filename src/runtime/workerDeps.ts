// Wires a worker's bindings into the app's dependencies: D1 through kysely-d1 (for writes and
// reads alike: D1 has one connection per request, no separate reader), de-duplication through
// the Durable Object, mail through the HTTP mail API. The Workers counterpart of services.ts,
// without anything Node-only (no better-sqlite3, nodemailer, node:fs, node-cron, worker threads).
import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { sha256Hex } from '../domain/crypto.ts';
import type { Clock } from '../domain/types.ts';
import { reportTextOf, type ReportText } from '../domain/dedupe/index.ts';
import { routingProposal } from '../domain/routing/proposal.ts';
import type { AppDeps, Logger } from '../http/context.ts';
import type { JobDeps } from '../app/jobDeps.ts';
import { createCalendarHolder } from '../db/stores/calendar.ts';
import type { DB } from '../db/schema/index.ts';
import { seedQueries } from '../db/seed.ts';
import { callbackSourceQueries } from '../db/stores/callbacks.ts';
import { intakeReads } from '../db/stores/intake.ts';
import { createSourceLog } from '../db/stores/sourceLog.ts';
import { runD1Batch, type D1BatchTarget } from '../db/d1/batch.ts';
import { d1Backend } from '../db/d1/backend.ts';
import type { Backend } from '../db/commit.ts';
import { auditKey } from '../domain/audit.ts';
import { MailSendError, type NamedMailer } from '../notify/mail.ts';
import { resendMailer } from '../notify/httpMailer.ts';
import type { LookUpAnswer } from './dedupeObject.ts';
import type { WorkerConfig } from './workerConfig.ts';
import type { WorkerEnv } from './workerEnv.ts';
import { storePorts } from './ports.ts';

/** The Durable Object's RPC surface, as the worker calls it. */
export interface DedupeStub {
  lookUp(report: ReportText): Promise<LookUpAnswer>;
  stats(): Promise<{ lookUps: number; docs: number }>;
}

export function dedupeStub(env: WorkerEnv): DedupeStub {
  return env.DEDUPE.get(env.DEDUPE.idFromName('index')) as unknown as DedupeStub;
}

/** One JSON object per line through console (Workers Logs keeps them as structured fields). */
export const workerLogger: Logger = {
  info: (f) => console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...f })),
  warn: (f) => console.warn(JSON.stringify({ time: new Date().toISOString(), level: 'warn', ...f })),
  error: (f) => console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', ...f })),
};

/** Without MAIL_API_KEY: every attempt fails as a transient error, so the messages wait in the outbox. */
function noMailer(): NamedMailer {
  return {
    description: '未配置（未设置 MAIL_API_KEY，邮件留在发件箱中）',
    send: () => Promise.reject(new MailSendError('未设置 MAIL_API_KEY：邮件未发送，留在发件箱中重试', { code: 'ECONFIG' })),
  };
}

export function workerMailer(config: WorkerConfig): NamedMailer {
  const { MAIL_API_KEY: apiKey, MAIL_API_URL: url, MAIL_FROM: from } = config.vars;
  if (!apiKey) return noMailer();
  return resendMailer({ apiKey, from, ...(url ? { url } : {}) });
}

export function d1Kysely(env: WorkerEnv): Kysely<DB> {
  return new Kysely<DB>({ dialect: new D1Dialect({ database: env.DB as never }) });
}

/**
 * Loads the directory and the channels into D1 (one batch of idempotent upserts). Run once per
 * isolate, before the first request or scheduled event it serves.
 */
export async function seedD1(env: WorkerEnv, db: Kysely<DB>, config: WorkerConfig, at: string): Promise<void> {
  // The sources with a callback (CALLBACK_URL_*), as services.ts records them on Node: a commit
  // queues callbacks for these (src/db/commit.ts callbackWrites).
  const urls = Object.fromEntries(Object.entries(config.callbacks).map(([source, e]) => [source, e?.url]));
  await runD1Batch(env.DB as unknown as D1BatchTarget, [
    ...seedQueries(db, config.directory, at, config.channels), ...callbackSourceQueries(db, urls, at),
  ]);
}

/** D1 through kysely-d1 for reads, and the backend that commits plans as one D1 batch each. */
export function d1Database(env: WorkerEnv, config?: WorkerConfig): Backend {
  const db = d1Kysely(env);
  const backend = d1Backend(env.DB as never, db);
  backend.useAuditKey(config?.vars.XIANSUO_AUDIT_KEY ? auditKey(config.vars.XIANSUO_AUDIT_KEY) : undefined);
  return backend;
}

export async function buildWorkerDeps(env: WorkerEnv, config: WorkerConfig, clock: Clock, log: Logger = workerLogger): Promise<AppDeps> {
  const backend = d1Database(env, config);
  const { db } = backend;
  const calendar = createCalendarHolder(db);
  await calendar.reload();
  return {
    db, reader: db, dialect: 'd1', clock, log, store: backend, intakeReads: intakeReads(db), ...storePorts({ db, reader: db }),
    config: {
      tz: config.tz, sources: config.sources, channels: config.channels, webhookSecrets: config.webhookSecrets,
      adminTokenHash: config.vars.XIANSUO_ADMIN_TOKEN ? sha256Hex(config.vars.XIANSUO_ADMIN_TOKEN) : undefined,
      rateLimit: { perMinute: config.vars.WEBHOOK_RATE_PER_MINUTE, burst: config.vars.WEBHOOK_RATE_BURST },
      apiBodyLimit: config.vars.XIANSUO_API_BODY_LIMIT, publicUrl: config.publicUrl,
      autoDispatch: config.vars.XIANSUO_AUTO_DISPATCH === 'on', mailFrom: config.vars.MAIL_FROM,
      callbacks: config.callbacks,
    },
    directory: config.directory, router: config.router, policy: config.policy, calendar,
    mailer: workerMailer(config),
    dedupe: async (draft) => {
      // A stub is an I/O object of the request that made it: one per look-up, never kept across requests.
      const { decision, rows } = await dedupeStub(env).lookUp(reportTextOf(draft));
      return { decision, indexWrite: rows };
    },
    route: (draft) => routingProposal(config.router, draft),
    // The delivery log (GET /api/sources): each answer written after its response, in waitUntil.
    sourceLog: createSourceLog(db, { perRequest: true, onError: (err) => log.error({ msg: '来源投递日志写入失败', err: String(err) }) }),
  };
}

export function jobDepsOf(deps: AppDeps): JobDeps {
  const { db, reader, store, directory, calendar, config, log, mailer, clock } = deps;
  return { db, reader, store, directory, calendar, config, log, mailer, clock };
}
