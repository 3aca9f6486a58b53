// Callback endpoints per source (API.md §7): CALLBACK_URL_{HOTLINE|MEDIA|SUPERVISOR} with
// CALLBACK_SECRET_… (a whsec_ secret), or a "callbacks" section of the XIANSUO_CONFIG file.
// The environment wins over the file for a source that both name.
import { z } from 'zod';
import { CALLBACK_SOURCES, isCallbackSecret, type CallbackSource } from '../domain/callbacks/index.ts';

export interface CallbackEndpoint { url: string; secret: string }
export type CallbackEndpoints = Partial<Record<CallbackSource, CallbackEndpoint>>;

const endpoint = z.object({
  url: z.url({ protocol: /^https?$/, message: '应为 http(s) 地址' }),
  secret: z.string().refine(isCallbackSecret, '应为 whsec_ 加至少 16 字节的 base64'),
});

export const callbackFileSchema = z.partialRecord(z.enum(CALLBACK_SOURCES), endpoint).optional();

export function parseCallbacks(env: Record<string, string | undefined>, file: unknown): CallbackEndpoints {
  const out: CallbackEndpoints = {};
  const fromFile = callbackFileSchema.safeParse(file);
  if (!fromFile.success) {
    throw new Error(`配置错误（callbacks）：${fromFile.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；')}`);
  }
  Object.assign(out, fromFile.data ?? {});
  for (const source of CALLBACK_SOURCES) {
    const name = source.toUpperCase();
    const url = env[`CALLBACK_URL_${name}`];
    const secret = env[`CALLBACK_SECRET_${name}`];
    if (!url && !secret) continue;
    if (!url || !secret) throw new Error(`配置错误：CALLBACK_URL_${name} 与 CALLBACK_SECRET_${name} 须同时设置`);
    const e = endpoint.safeParse({ url, secret });
    if (!e.success) {
      throw new Error(`配置错误：CALLBACK_${e.error.issues[0]?.path[0] === 'url' ? 'URL' : 'SECRET'}_${name}：${e.error.issues[0]?.message}`);
    }
    out[source] = e.data;
  }
  return out;
}
