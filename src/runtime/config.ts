// The environment, parsed once at start with zod. Nothing else reads process.env.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BUILTIN_DIRECTORY, type Directory } from '../domain/directory.ts';
import { assertSecret } from '../http/middleware/signature.ts';
import { parseCallbacks, type CallbackEndpoints } from './callbackConfig.ts';

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).default('./data/xiansuo.db'),
  XIANSUO_ADMIN_TOKEN: z.string().min(16, 'XIANSUO_ADMIN_TOKEN 至少 16 个字符').optional(),
  WEBHOOK_SECRET_HOTLINE: z.string().optional(),
  WEBHOOK_SECRET_MEDIA: z.string().optional(),
  WEBHOOK_SECRET_SUPERVISOR: z.string().optional(),
  WEBHOOK_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  WEBHOOK_RATE_BURST: z.coerce.number().int().min(1).default(200),
  /** The largest request body on /api, in bytes (413 beyond it). */
  XIANSUO_API_BODY_LIMIT: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('xiansuo@localhost'),
  XIANSUO_CONFIG: z.string().optional(),
  XIANSUO_TZ: z.string().default('Asia/Shanghai'),
  XIANSUO_CLOCK: z.iso.datetime({ offset: true }).optional(),
  XIANSUO_PUBLIC_URL: z.string().url().optional(),
  XIANSUO_MAIL_DIR: z.string().default('./data/mail'),
  XIANSUO_JOBS: z.enum(['on', 'off']).default('on'),
  XIANSUO_AUTO_DISPATCH: z.enum(['on', 'off']).default('on'),
  /** De-duplicate in a worker thread (a second core), not in the thread that serves requests. */
  XIANSUO_DEDUPE_THREAD: z.enum(['on', 'off']).default('on'),
  /** node-cron expressions (in XIANSUO_TZ) for the sweep on working days and on other days. */
  XIANSUO_SWEEP_CRON: z.string().default('*/5 * * * *'),
  XIANSUO_SWEEP_CRON_OFF_DAYS: z.string().default('0 * * * *'),
  /** HMAC-SHA-256 key of the full-process record's chain, held outside the database. */
  XIANSUO_AUDIT_KEY: z.string().min(32, 'XIANSUO_AUDIT_KEY 至少 32 个字符（例如 openssl rand -base64 32）').optional(),
});

export type Env = z.infer<typeof env>;

const agencySchema = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/, '代码只能包含小写字母、数字和连字符'),
  name: z.string().min(1),
  kind: z.enum(['agency', 'township', 'transfer', 'bureau']),
  email: z.email(),
  headEmail: z.email(),
  township: z.string().optional(),
  robots: z.array(z.object({ kind: z.enum(['wecom', 'dingtalk', 'feishu']), url: z.url() })).optional(),
});

export const configFileSchema = z.object({
  directory: z.object({ bureauEmail: z.email(), agencies: z.array(agencySchema).min(1) }).optional(),
  routing: z.unknown().optional(),
  deadlines: z.unknown().optional(),
  dedupe: z.unknown().optional(),
  callbacks: z.unknown().optional(),
});

export interface Config {
  env: Env;
  port: number;
  databaseUrl: string;
  tz: string;
  adminToken?: string;
  /** XIANSUO_AUDIT_KEY; without it the chain stays plain SHA-256 (the service warns at start). */
  auditKey?: string;
  webhookSecrets: Partial<Record<string, string[]>>;
  clockStart?: Date;
  publicUrl: string;
  directory: Directory;
  /** Callback endpoints per source (API.md §7). */
  callbacks: CallbackEndpoints;
  /** The raw config file sections that later modules validate themselves. */
  file: z.infer<typeof configFileSchema>;
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new Error(`配置错误（环境变量）：${issuesText(parsed.error)}`);
  const e = parsed.data;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: e.XIANSUO_TZ });
  } catch {
    throw new Error(`配置错误：XIANSUO_TZ “${e.XIANSUO_TZ}” 不是有效的时区`);
  }
  const webhookSecrets: Partial<Record<string, string[]>> = {};
  for (const [source, value] of [['hotline', e.WEBHOOK_SECRET_HOTLINE], ['media', e.WEBHOOK_SECRET_MEDIA], ['supervisor', e.WEBHOOK_SECRET_SUPERVISOR]] as const) {
    if (!value) continue;
    const secrets = value.split(/\s+/).filter(Boolean);
    for (const s of secrets) {
      try {
        assertSecret(s);
      } catch (err) {
        throw new Error(`配置错误：WEBHOOK_SECRET_${source.toUpperCase()}：${(err as Error).message}`);
      }
    }
    webhookSecrets[source] = secrets;
  }
  let file: z.infer<typeof configFileSchema> = {};
  if (e.XIANSUO_CONFIG) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(e.XIANSUO_CONFIG, 'utf8'));
    } catch (err) {
      throw new Error(`配置错误：无法读取 XIANSUO_CONFIG “${e.XIANSUO_CONFIG}”：${(err as Error).message}`);
    }
    const f = configFileSchema.safeParse(json);
    if (!f.success) throw new Error(`配置错误（${e.XIANSUO_CONFIG}）：${issuesText(f.error)}`);
    file = f.data;
  }
  return {
    env: e, port: e.PORT, databaseUrl: e.DATABASE_URL, tz: e.XIANSUO_TZ, adminToken: e.XIANSUO_ADMIN_TOKEN,
    auditKey: e.XIANSUO_AUDIT_KEY,
    webhookSecrets, clockStart: e.XIANSUO_CLOCK ? new Date(e.XIANSUO_CLOCK) : undefined,
    publicUrl: (e.XIANSUO_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    directory: file.directory ?? BUILTIN_DIRECTORY, file, callbacks: parseCallbacks(source, file.callbacks),
  };
}
