// The settings, parsed once at start with zod: the environment plus the settings file
// (settings.ts), and the XIANSUO_CONFIG file merged over the built-ins (configFile.ts).
// Nothing else reads process.env. Every error is one Chinese line naming the variable or file.
import cron from 'node-cron';
import { z } from 'zod';
import type { ChannelInfo } from '../domain/channels.ts';
import type { Directory } from '../domain/directory.ts';
import { callbackVariables, channelsOf, WEBHOOK_SOURCES, type WebhookSource } from '../../webhooks/index.ts';
import { assertSecret } from '../http/middleware/webhook.ts';
import { parseCallbacks, type CallbackEndpoints } from './callbackConfig.ts';
import { isPostgresUrl } from './database.ts';
import { issuesText as fileIssuesText, readConfigFile, type EffectiveConfig } from './configFile.ts';
import { hotspotRuleSchema, type HotspotRule } from '../domain/hotspots.ts';
import { readSettings } from './settings.ts';

export { configFileSchema } from './configFile.ts';

const databaseUrl = z.string().min(1).superRefine((u, ctx) => {
  if (isPostgresUrl(u)) {
    try {
      new URL(u);
    } catch {
      ctx.addIssue({ code: 'custom', message: '不是有效的 postgres:// 地址' });
    }
    return;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u)?.[1];
  if (u !== ':memory:' && scheme && scheme.length > 1) {
    ctx.addIssue({ code: 'custom', message: `不支持 “${scheme}:” 地址，只能是 SQLite 文件路径、:memory: 或 postgres://…` });
  }
});

const smtpUrl = z.string().superRefine((u, ctx) => {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    ctx.addIssue({ code: 'custom', message: '不是有效的地址，应为 smtp://主机:端口 或 smtps://用户:密码@主机' });
    return;
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    ctx.addIssue({ code: 'custom', message: `不支持 “${url.protocol}” 地址，应为 smtp:// 或 smtps://` });
  } else if (!url.hostname) {
    ctx.addIssue({ code: 'custom', message: '缺少邮件服务器主机名' });
  }
});

const cronExpression = (name: string, fallback: string) => z.string().default(fallback)
  .refine((v) => cron.validate(v), { message: `不是有效的 cron 表达式（5 或 6 个字段，如 “*/5 * * * *”）` })
  .describe(name);

const env = z.object({
  PORT: z.coerce.number({ error: '应为 0–65535 的整数' }).int('应为 0–65535 的整数').min(0, '应为 0–65535 的整数').max(65535, '应为 0–65535 的整数').default(3000),
  DATABASE_URL: databaseUrl.default('./data/xiansuo.db'),
  XIANSUO_ADMIN_TOKEN: z.string().min(16, '至少 16 个字符').optional(),
  WEBHOOK_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  WEBHOOK_RATE_BURST: z.coerce.number().int().min(1).default(200),
  /** The largest request body on /api, in bytes (413 beyond it). */
  XIANSUO_API_BODY_LIMIT: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: z.string().default('xiansuo@localhost'),
  XIANSUO_CONFIG: z.string().optional(),
  XIANSUO_TZ: z.string().default('Asia/Shanghai'),
  XIANSUO_CLOCK: z.iso.datetime({ offset: true }).optional(),
  XIANSUO_PUBLIC_URL: z.url({ protocol: /^https?$/, error: '应为 http:// 或 https:// 地址' }).optional(),
  XIANSUO_MAIL_DIR: z.string().default('./data/mail'),
  XIANSUO_JOBS: z.enum(['on', 'off']).default('on'),
  XIANSUO_AUTO_DISPATCH: z.enum(['on', 'off']).default('on'),
  /** De-duplicate in a worker thread (a second core), not in the thread that serves requests. */
  XIANSUO_DEDUPE_THREAD: z.enum(['on', 'off']).default('on'),
  /** node-cron expressions (in XIANSUO_TZ) for the sweep on working days and on other days. */
  XIANSUO_SWEEP_CRON: cronExpression('XIANSUO_SWEEP_CRON', '*/5 * * * *'),
  XIANSUO_SWEEP_CRON_OFF_DAYS: cronExpression('XIANSUO_SWEEP_CRON_OFF_DAYS', '0 * * * *'),
  /** The listening address: all interfaces by default; 127.0.0.1 behind a reverse proxy on the same host. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** A settings file to read instead of ./xiansuo.env (settings.ts). */
  XIANSUO_ENV_FILE: z.string().optional(),
  /** HMAC-SHA-256 key of the full-process record's chain, held outside the database. */
  XIANSUO_AUDIT_KEY: z.string().min(32, 'XIANSUO_AUDIT_KEY 至少 32 个字符（例如 openssl rand -base64 32）').optional(),
  /** The hotspot rule's thresholds (domain/hotspots.ts); each wins over XIANSUO_CONFIG's `hotspots`. */
  XIANSUO_HOTSPOT_WINDOW_DAYS: z.coerce.number({ error: '应为整数' }).optional(),
  XIANSUO_HOTSPOT_BASELINE_DAYS: z.coerce.number({ error: '应为整数' }).optional(),
  XIANSUO_HOTSPOT_MIN_LEADS: z.coerce.number({ error: '应为整数' }).optional(),
  XIANSUO_HOTSPOT_MAX_PROBABILITY: z.coerce.number({ error: '应为 0 到 0.5 之间的小数' }).optional(),
});

/** One optional WEBHOOK_SECRET_* variable per registered source (webhooks/index.ts). */
function envSchema(sources: readonly WebhookSource[]) {
  return env.extend(Object.fromEntries(sources.map((s) => [s.secretVariable, z.string().optional()])));
}

export type Env = z.infer<typeof env> & Partial<Record<(typeof WEBHOOK_SOURCES)[number]['secretVariable'], string>>;

export interface Config {
  env: Env;
  port: number;
  databaseUrl: string;
  tz: string;
  adminToken?: string;
  /** XIANSUO_AUDIT_KEY; without it the chain stays plain SHA-256 (the service warns at start). */
  auditKey?: string;
  /** The webhook sources this configuration was read for (webhooks/index.ts, or a test's list). */
  sources: readonly WebhookSource[];
  /** Every channel with its label: the sources', then bureau and public. */
  channels: ChannelInfo[];
  /** The secrets of each source switched on, by name; a source without any answers 404. */
  webhookSecrets: Partial<Record<string, string[]>>;
  clockStart?: Date;
  publicUrl: string;
  directory: Directory;
  /** Callback endpoints per source (API.md §7). */
  callbacks: CallbackEndpoints;
  /** The XIANSUO_CONFIG sections merged over the built-ins (configFile.ts), already validated. */
  file: EffectiveConfig;
  /** The listening address (HOST). */
  host: string;
  /** The settings file read (absolute path), if any. */
  settingsFile?: string;
  /** The hotspot rule: built-in, then XIANSUO_CONFIG's `hotspots`, then XIANSUO_HOTSPOT_* variables. */
  hotspots: HotspotRule;
}

const HOTSPOT_VARIABLES = {
  windowDays: 'XIANSUO_HOTSPOT_WINDOW_DAYS', baselineDays: 'XIANSUO_HOTSPOT_BASELINE_DAYS',
  minLeads: 'XIANSUO_HOTSPOT_MIN_LEADS', maxProbability: 'XIANSUO_HOTSPOT_MAX_PROBABILITY',
} as const;

function hotspotRule(e: Env, file: EffectiveConfig): HotspotRule {
  const merged: Record<string, number> = { ...file.hotspots };
  for (const [key, name] of Object.entries(HOTSPOT_VARIABLES)) if (e[name] !== undefined) merged[key] = e[name];
  const parsed = hotspotRuleSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0]) as keyof typeof HOTSPOT_VARIABLES;
  const name = HOTSPOT_VARIABLES[key];
  throw new Error(e[name] !== undefined
    ? `配置错误：${name}：${issue.message}`
    : `配置错误：热点提示阈值（XIANSUO_CONFIG hotspots 与 XIANSUO_HOTSPOT_* 合并后）：${fileIssuesText(parsed.error, ['hotspots'])}`);
}

function issuesText(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}：${i.message}`).join('；');
}

/** Our variables' prefixes: a name with one of them that is not a known variable is a typo. */
const OURS = /^(XIANSUO|WEBHOOK|SMTP|MAIL|CALLBACK)_/;
/**
 * The configuration from `source`, or (without it) from the environment plus the settings file.
 * Tests pass `source` (and may pass their own list of webhook sources); the service and every
 * CLI command call it without.
 */
export function loadConfig(source?: Record<string, string | undefined>, sources: readonly WebhookSource[] = WEBHOOK_SOURCES): Config {
  const settings = source ? { values: source, file: undefined, fromFile: {} } : readSettings();
  const schema = envSchema(sources);
  // Read by callbackConfig.ts rather than the schema.
  const callbackNames = new Set(sources.flatMap((s) => Object.values(callbackVariables(s.name))));
  for (const name of Object.keys(settings.fromFile)) {
    if (OURS.test(name) && !(name in schema.shape) && !callbackNames.has(name)) {
      throw new Error(`配置错误：设置文件 ${settings.file} 中的 ${name} 不是 xiansuo 的变量（拼写错误？）`);
    }
  }
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(settings.values).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new Error(`配置错误（${settings.file ? `环境变量或 ${settings.file}` : '环境变量'}）：${issuesText(parsed.error)}`);
  const e = parsed.data as unknown as Env;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: e.XIANSUO_TZ });
  } catch {
    throw new Error(`配置错误：XIANSUO_TZ “${e.XIANSUO_TZ}” 不是有效的时区`);
  }
  const webhookSecrets: Partial<Record<string, string[]>> = {};
  for (const source of sources) {
    const value = (parsed.data as Record<string, unknown>)[source.secretVariable];
    if (typeof value !== 'string' || !value) continue;
    const secrets = value.split(/\s+/).filter(Boolean);
    for (const s of secrets) {
      try {
        assertSecret(s);
      } catch (err) {
        throw new Error(`配置错误：${source.secretVariable}：${(err as Error).message}`);
      }
    }
    webhookSecrets[source.name] = secrets;
  }
  const file = readConfigFile(e.XIANSUO_CONFIG, channelsOf(sources).map((c) => c.name));
  return {
    env: e, port: e.PORT, databaseUrl: e.DATABASE_URL, tz: e.XIANSUO_TZ, adminToken: e.XIANSUO_ADMIN_TOKEN,
    auditKey: e.XIANSUO_AUDIT_KEY,
    sources, channels: channelsOf(sources), webhookSecrets, clockStart: e.XIANSUO_CLOCK ? new Date(e.XIANSUO_CLOCK) : undefined,
    publicUrl: (e.XIANSUO_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    directory: file.directory, file, host: e.HOST, settingsFile: settings.file,
    callbacks: parseCallbacks(settings.values, file.callbacks, sources),
    hotspots: hotspotRule(e, file),
  };
}
