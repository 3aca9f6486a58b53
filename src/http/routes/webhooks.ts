// POST /webhooks/{source}: verify, parse, and hand the report to intake. 2xx only after commit.
import { Hono, type MiddlewareHandler } from 'hono';
import { canonicalJson, sha256Hex } from '../../domain/crypto.ts';
import type { IncomingReport } from '../../domain/intake.ts';
import { intake } from '../../app/intake.ts';
import { fieldErrors, inspectJson } from '../../domain/jsonInput.ts';
import type { WebhookSource } from '../../domain/sources.ts';
import type { AppEnv } from '../context.ts';
import { bodyLimit, rateLimit, webhookSignature } from '../middleware/webhook.ts';
import { problem } from '../problem.ts';

export const MAX_BODY_BYTES = 256 * 1024;
/** The longest `webhook-id` kept (API.md §2). */
export const MAX_WEBHOOK_ID = 256;

/** The source called `name` among the configured ones (webhooks/<name>.ts, listed in webhooks/index.ts). */
function sourceOf(sources: readonly WebhookSource[], name: string): WebhookSource | undefined {
  return sources.find((s) => s.name === name);
}

export function webhookRoutes() {
  const app = new Hono<AppEnv>();

  // The checks in the order of the README: source (404), type (415), size (413) while reading,
  // webhook-id (400), signature (401), rate (429), JSON (400), text and nesting, schema (422).
  const sourceAndType: MiddlewareHandler<AppEnv> = async (c, next) => {
    const source = c.req.param('source') ?? '';
    if (!sourceOf(c.var.deps.config.sources, source) || !c.var.deps.config.webhookSecrets[source]?.length) {
      return problem(c, 404, 'unknown-source', '未知或已停用的来源', `来源“${source}”不存在或未启用`);
    }
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return problem(c, 415, 'unsupported-media-type', '不支持的内容类型', '请求体必须是 application/json');
    }
    await next();
  };

  // With a declared length the HTTP layer delivers exactly that many bytes (on Node, read
  // straight from the socket); a chunked body was counted and buffered by bodyLimit.
  const wholeBody: MiddlewareHandler<AppEnv> = async (c, next) => {
    const body = await c.req.arrayBuffer();
    if (body.byteLength > MAX_BODY_BYTES) { // a declared length that understated the body
      return problem(c, 413, 'payload-too-large', '请求体过大', `请求体不能超过 ${MAX_BODY_BYTES / 1024} KiB`);
    }
    const webhookId = c.req.header('webhook-id');
    if (webhookId !== undefined && webhookId.length > MAX_WEBHOOK_ID) {
      return problem(c, 400, 'invalid-webhook-id', 'webhook-id 无效', `webhook-id 不能超过 ${MAX_WEBHOOK_ID} 个字符`);
    }
    await next();
  };
  const signed = webhookSignature<AppEnv>({
    secrets: (c) => c.var.deps.config.webhookSecrets[c.req.param('source') ?? '']!, now: (c) => c.var.deps.clock.now(),
  });
  // Counted only for signed deliveries: nobody without the secret can use up a source's allowance.
  const limited = rateLimit<AppEnv>({
    limit: (c) => c.var.deps.config.rateLimit, key: (c) => c.req.param('source') ?? '', now: (c) => c.var.deps.clock.now(),
  });

  app.post('/:source', sourceAndType, bodyLimit(MAX_BODY_BYTES), wholeBody, signed, limited, async (c) => {
    const { deps } = c.var;
    const source = c.req.param('source')!;
    const now = deps.clock.now();
    const body = new Uint8Array(await c.req.arrayBuffer());
    const webhookId = c.req.header('webhook-id');

    let text: string;
    let json: unknown;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      json = JSON.parse(text);
    } catch {
      return problem(c, 400, 'malformed-json', '请求体不是合法的 JSON', '请求体必须是 UTF-8 编码的 JSON');
    }
    const inbound = sourceOf(deps.config.sources, source)!;
    // Before the schema: every string (unknown fields and keys included) and the nesting depth,
    // so that nothing below (hashing, storage) meets text a database would change or refuse.
    const textErrors = inspectJson(json);
    const parsed = textErrors.length > 0 ? null : inbound.schema.safeParse(json);
    if (!parsed?.success) {
      const errors = parsed ? fieldErrors(parsed.error) : textErrors;
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
