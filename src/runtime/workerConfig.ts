// The Workers deployment's settings, parsed once per isolate with zod from the worker's `env`
// (wrangler.toml [vars] plus secrets set with `wrangler secret put`): the variables of API.md §1
// that mean something there. No file system: the built-in directory, rules and deadline
// policies (XIANSUO_CONFIG is a file path, which a worker cannot read). Every error is one
// Chinese line naming the variable.
import { z } from 'zod';
import { BUILT_IN_DEADLINE_POLICY, type DeadlinePolicy } from '../domain/calendar/index.ts';
import { DEFAULT_DEDUPE_CONFIG, type DedupeConfig } from '../domain/dedupe/index.ts';
import { BUILTIN_DIRECTORY, type Directory } from '../domain/directory.ts';
import { BUILTIN_RULES_DATA, compileRules, validateRules, type Router } from '../domain/routing/index.ts';
import { assertSecret } from '../http/middleware/webhook.ts';
import { parseCallbacks, type CallbackEndpoints } from './callbackConfig.ts';
import { channelNamer, type ChannelInfo } from '../domain/channels.ts';
import { channelsOf, WEBHOOK_SOURCES, type WebhookSource } from '../../webhooks/index.ts';

const vars = z.object({
  XIANSUO_ADMIN_TOKEN: z.string().min(16, '至少 16 个字符').optional(),
  WEBHOOK_SECRET_HOTLINE: z.string().optional(),
  WEBHOOK_SECRET_MEDIA: z.string().optional(),
  WEBHOOK_SECRET_SUPERVISOR: z.string().optional(),
  WEBHOOK_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  WEBHOOK_RATE_BURST: z.coerce.number().int().min(1).default(200),
  XIANSUO_API_BODY_LIMIT: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  MAIL_FROM: z.string().default('xiansuo@localhost'),
  /** The HTTP mail API's key (Resend); without it nothing is sent and messages wait in the outbox. */
  MAIL_API_KEY: z.string().optional(),
  MAIL_API_URL: z.url({ protocol: /^https?$/, error: '应为 http:// 或 https:// 地址' }).optional(),
  XIANSUO_TZ: z.string().default('Asia/Shanghai'),
  XIANSUO_CLOCK: z.iso.datetime({ offset: true }).optional(),
  XIANSUO_PUBLIC_URL: z.url({ protocol: /^https?$/, error: '应为 http:// 或 https:// 地址' }).optional(),
  XIANSUO_AUTO_DISPATCH: z.enum(['on', 'off']).default('on'),
  XIANSUO_AUDIT_KEY: z.string().min(32, 'XIANSUO_AUDIT_KEY 至少 32 个字符').optional(),
});

export type WorkerVars = z.infer<typeof vars>;

export interface WorkerConfig {
  vars: WorkerVars;
  tz: string;
  /** The registered webhook sources (webhooks/index.ts) and every channel with its label. */
  sources: readonly WebhookSource[];
  channels: readonly ChannelInfo[];
  webhookSecrets: Partial<Record<string, string[]>>;
  clockStart?: Date;
  publicUrl: string;
  directory: Directory;
  router: Router;
  policy: DeadlinePolicy;
  dedupe: DedupeConfig;
  callbacks: CallbackEndpoints;
}

/** The worker's settings from its env bindings (only the string ones are read). */
export function loadWorkerConfig(env: Record<string, unknown>): WorkerConfig {
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
  const parsed = vars.safeParse(strings);
  if (!parsed.success) {
    throw new Error(`配置错误（Workers 变量）：${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}：${i.message}`).join('；')}`);
  }
  const e = parsed.data;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: e.XIANSUO_TZ });
  } catch {
    throw new Error(`配置错误：XIANSUO_TZ “${e.XIANSUO_TZ}” 不是有效的时区`);
  }
  const webhookSecrets: Partial<Record<string, string[]>> = {};
  for (const { name: source, secretVariable } of WEBHOOK_SOURCES) {
    const value = strings[secretVariable];
    if (!value) continue;
    const secrets = value.split(/\s+/).filter(Boolean);
    for (const s of secrets) {
      try {
        assertSecret(s);
      } catch (err) {
        throw new Error(`配置错误：${secretVariable}：${(err as Error).message}`);
      }
    }
    webhookSecrets[source] = secrets;
  }
  const channels = channelsOf(WEBHOOK_SOURCES);
  const directory = BUILTIN_DIRECTORY;
  const rules = validateRules(BUILTIN_RULES_DATA, directory);
  if (!rules.ok) throw new Error(`配置错误（routing）：${rules.errors.join('；')}`);
  return {
    vars: e, tz: e.XIANSUO_TZ, sources: WEBHOOK_SOURCES, channels, webhookSecrets,
    ...(e.XIANSUO_CLOCK ? { clockStart: new Date(e.XIANSUO_CLOCK) } : {}),
    publicUrl: (e.XIANSUO_PUBLIC_URL ?? 'http://localhost:8787').replace(/\/$/, ''),
    directory, router: compileRules(rules.rules, directory, channelNamer(channels)), policy: BUILT_IN_DEADLINE_POLICY,
    dedupe: DEFAULT_DEDUPE_CONFIG, callbacks: parseCallbacks(strings, undefined),
  };
}
