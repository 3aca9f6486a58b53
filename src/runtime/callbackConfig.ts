// Callback endpoints per source (API.md §7): CALLBACK_URL_{NAME} with CALLBACK_SECRET_{NAME} (a
// whsec_ secret) for each registered webhook source, or a "callbacks" section of the XIANSUO_CONFIG
// file. The environment wins over the file for a source that both name.
import { z } from 'zod';
import { isCallbackSecret } from '../domain/callbacks/index.ts';
import { callbackVariables, WEBHOOK_SOURCES, type WebhookSource } from '../../webhooks/index.ts';

export interface CallbackEndpoint { url: string; secret: string }
/** By source name. */
export type CallbackEndpoints = Partial<Record<string, CallbackEndpoint>>;

const endpoint = z.object({
  url: z.url({ protocol: /^https?$/, message: '应为 http(s) 地址' }),
  secret: z.string().refine(isCallbackSecret, '应为 whsec_ 加至少 16 字节的 base64'),
});

/** The "callbacks" section of XIANSUO_CONFIG: an endpoint per webhook source, by name. */
export function callbackFileSchema(sources: readonly WebhookSource[] = WEBHOOK_SOURCES) {
  const names = sources.map((s) => s.name) as [string, ...string[]];
  return z.partialRecord(z.enum(names), endpoint).optional();
}

export function parseCallbacks(
  env: Record<string, string | undefined>, file: unknown, sources: readonly WebhookSource[] = WEBHOOK_SOURCES,
): CallbackEndpoints {
  const out: CallbackEndpoints = {};
  const fromFile = callbackFileSchema(sources).safeParse(file);
  if (!fromFile.success) {
    throw new Error(`配置错误（callbacks）：${fromFile.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；')}`);
  }
  Object.assign(out, fromFile.data ?? {});
  for (const { name: source } of sources) {
    const names = callbackVariables(source);
    const url = env[names.url];
    const secret = env[names.secret];
    if (!url && !secret) continue;
    if (!url || !secret) throw new Error(`配置错误：${names.url} 与 ${names.secret} 须同时设置`);
    const e = endpoint.safeParse({ url, secret });
    if (!e.success) {
      throw new Error(`配置错误：${e.error.issues[0]?.path[0] === 'url' ? names.url : names.secret}：${e.error.issues[0]?.message}`);
    }
    out[source] = e.data;
  }
  return out;
}
