// POST /webhooks/{source}: verify, parse, and hand the report to intake. 2xx only after commit.
import { Hono } from 'hono';
import { canonicalJson, sha256Hex } from '../../domain/crypto.ts';
import type { IncomingReport } from '../../domain/intake.ts';
import { intake } from '../intake.ts';
import { INBOUND, isInbound, type InboundSource } from '../../../webhooks/index.ts';
import type { AppEnv } from '../context.ts';
import { createRateLimiter } from '../middleware/rateLimit.ts';
import { verifySignature } from '../middleware/signature.ts';
import { problem } from '../problem.ts';
import { fieldErrors } from '../body.ts';

export const MAX_BODY_BYTES = 256 * 1024;

async function readLimited(req: Request, max: number): Promise<Uint8Array | null> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const ch of chunks) {
    out.set(ch, off);
    off += ch.length;
  }
  return out;
}

export function webhookRoutes() {
  const app = new Hono<AppEnv>();
  let limiter: ReturnType<typeof createRateLimiter> | undefined;

  app.post('/:source', async (c) => {
    const { deps } = c.var;
    const source = c.req.param('source');
    const secrets = isInbound(source) ? deps.config.webhookSecrets[source] : undefined;
    if (!isInbound(source) || !secrets?.length) {
      return problem(c, 404, 'unknown-source', '未知或已停用的来源', `来源“${source}”不存在或未启用`);
    }
    const now = deps.clock.now();
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return problem(c, 415, 'unsupported-media-type', '不支持的内容类型', '请求体必须是 application/json');
    }
    const length = c.req.header('content-length');
    const declared = length === undefined ? null : Number(length);
    // With a declared length the HTTP layer delivers exactly that many bytes: read them at once
    // (on Node, straight from the socket, without a web stream). Without one (chunked), count
    // while reading and stop at the limit.
    const body = declared !== null && declared > MAX_BODY_BYTES ? null
      : declared !== null && Number.isSafeInteger(declared) ? new Uint8Array(await c.req.raw.arrayBuffer())
      : await readLimited(c.req.raw, MAX_BODY_BYTES);
    if (!body || body.length > MAX_BODY_BYTES) {
      return problem(c, 413, 'payload-too-large', '请求体过大', `请求体不能超过 ${MAX_BODY_BYTES / 1024} KiB`);
    }
    const webhookId = c.req.header('webhook-id');
    const check = await verifySignature({
      secrets, id: webhookId, timestamp: c.req.header('webhook-timestamp'),
      signature: c.req.header('webhook-signature'), body, now,
    });
    if (!check.ok) return problem(c, 401, 'invalid-signature', '签名校验失败', check.reason);
    // Counted only for signed deliveries: nobody without the secret can use up a source's allowance.
    limiter ??= createRateLimiter(deps.config.rateLimit);
    const slot = limiter.take(source, now.getTime());
    if (!slot.ok) {
      return problem(c, 429, 'rate-limited', '请求过于频繁', `来源“${source}”超过速率限制，请 ${slot.retryAfter} 秒后重试`,
        {}, { 'retry-after': String(slot.retryAfter) });
    }

    let text: string;
    let json: unknown;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      json = JSON.parse(text);
    } catch {
      return problem(c, 400, 'malformed-json', '请求体不是合法的 JSON', '请求体必须是 UTF-8 编码的 JSON');
    }
    const inbound: InboundSource = INBOUND[source];
    const parsed = inbound.schema.safeParse(json);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      return problem(c, 422, 'invalid-payload', '内容不符合该来源的格式',
        `${errors.length} 处错误：${errors.map((e) => `${e.path} ${e.message}`).join('；')}`, { errors });
    }
    const bodyHash = sha256Hex(text);
    const contentHash = sha256Hex(canonicalJson(json));
    const incoming: IncomingReport = {
      source, webhookId: webhookId!, bodyHash, contentHash, payload: text, draft: inbound.toDraft(parsed.data),
    };
    let outcome;
    try {
      outcome = await intake(deps, incoming, now.toISOString());
    } catch (err) {
      deps.log.error({ msg: 'intake failed; nothing stored', requestId: c.var.requestId, err: String(err) });
      return problem(c, 503, 'storage-unavailable', '存储暂不可用', '本次报送未保存，请稍后重试', {}, { 'retry-after': '30' });
    }
    switch (outcome.kind) {
      case 'conflict':
        return problem(c, 409, 'webhook-id-conflict', 'webhook-id 冲突', outcome.detail);
      case 'accepted':
        return c.json(outcome.answer, 202);
      default:
        return c.json(outcome.answer, 200);
    }
  });
  return app;
}
