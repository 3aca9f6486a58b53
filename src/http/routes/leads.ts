// Reading leads: GET /api/leads, /api/leads/{id}, /api/leads/{id}/events. Thin: the scoping and
// sealing are src/app's read use cases.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { scopeOf as scopeOfViewer, type Scope, type Viewer } from '../../domain/lead.ts';
import { LEAD_STATUSES } from '../../domain/types.ts';
import { CHANNEL_NAMES } from '../../../webhooks/index.ts';
import { HAND_CHANNEL_NAMES } from '../../domain/channels.ts';
import { leadReads } from '../../db/stores/leads.ts';
import type { Principal } from '../../db/stores/tokens.ts';
import { readLead, type ReadLeadDeps } from '../../app/readLead.ts';
import { listLeads } from '../../app/listLeads.ts';
import { leadEvents } from '../../app/leadEvents.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { HttpProblem, notFound } from '../problem.ts';
import { readJson, validate } from '../body.ts';
import { requireRole } from '../middleware/auth.ts';
import { intake } from '../../app/intake.ts';
import { sha256Hex } from '../../domain/crypto.ts';

export function viewerOf(p: Principal): Viewer {
  return { role: p.role, tokenId: p.tokenId, agency: p.agency ?? null, supervisorId: p.supervisorId ?? null };
}

export function scopeOf(p: Principal): Scope {
  return scopeOfViewer(viewerOf(p));
}

/** What the read use cases need, from the app's dependencies. */
export function readDeps(deps: AppDeps): ReadLeadDeps & { reads: ReturnType<typeof leadReads> } {
  return {
    reads: leadReads(deps.reader),
    store: deps.store,
    now: () => deps.clock.now(),
  };
}

/** Lead data is personal data: never kept by a browser or a proxy. */
export function noStore(c: Context): void {
  c.header('Cache-Control', 'no-store');
}

/** The query of GET /api/leads (also described in the OpenAPI document). */
export const listQuery = z.object({
  status: z.enum(LEAD_STATUSES).optional(),
  agency: z.string().min(1).max(64).optional(),
  source: z.enum(CHANNEL_NAMES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

function encodeCursor(createdAt: string, id: string): string {
  return btoa(`${createdAt}|${id}`).replace(/=+$/, '');
}
/** A cursor is what nextCursor gave: an instant and a lead id. Anything else is 400. */
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id, ...rest] = atob(cursor).split('|');
    if (createdAt && id && rest.length === 0 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(createdAt)
      && /^[\x21-\x7e]{1,64}$/.test(id)) return { createdAt, id };
  } catch { /* fall through */ }
  throw new HttpProblem(400, 'invalid-cursor', '翻页参数无效', 'cursor 无效：请使用上一页返回的 nextCursor',
    { errors: [{ path: '/cursor', message: '无效' }] });
}

export function parseQuery<T extends z.ZodType>(schema: T, c: Context): z.infer<T> {
  return validate(schema, c.req.query());
}

/** A lead entered by hand by the bureau (a visit, a letter, a phone call). */
export const manualLead = z.strictObject({
  title: z.string().trim().min(1, '不能为空').max(500),
  content: z.string().trim().min(1, '不能为空').max(50_000),
  channel: z.enum(HAND_CHANNEL_NAMES).optional(),
  address: z.string().trim().max(500).optional(),
  township: z.string().trim().max(50).optional(),
  subject: z.string().trim().max(200).optional(),
  category: z.string().trim().max(100).optional(),
  priority: z.enum(['normal', 'urgent']).optional(),
  reportedAt: z.iso.datetime({ offset: true }).optional(),
  reporter: z.strictObject({
    name: z.string().trim().max(50).optional(),
    phone: z.string().trim().max(40).optional(),
    confidential: z.boolean().optional(),
  }).optional(),
});

export function leadRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const { deps, principal } = c.var;
    requireRole(c, 'bureau');
    const b = validate(manualLead, await readJson(c));
    const now = deps.clock.now();
    const source = b.channel ?? 'bureau';
    const text = JSON.stringify(b);
    const outcome = await intake(deps, {
      source, webhookId: null, bodyHash: sha256Hex(text), contentHash: sha256Hex(`${principal.tokenId}:${crypto.randomUUID()}`),
      payload: text,
      draft: {
        source, externalId: `manual-${crypto.randomUUID()}`, reportedAt: b.reportedAt ? new Date(b.reportedAt).toISOString() : now.toISOString(),
        title: b.title, content: b.content, address: b.address, township: b.township, subject: b.subject, category: b.category,
        priority: b.priority ?? 'normal',
        reporter: { name: b.reporter?.name, phone: b.reporter?.phone, confidential: b.reporter?.confidential ?? false },
        evidence: [],
      },
    }, now.toISOString());
    if (outcome.kind === 'conflict') throw new HttpProblem(409, 'state-conflict', '冲突', outcome.detail);
    const view = await readLead(readDeps(deps), viewerOf(principal), outcome.answer.leadId, { unmask: false });
    if (!view) throw notFound();
    noStore(c);
    return c.json({ ...view, reportId: outcome.answer.reportId, duplicate: outcome.answer.duplicate }, 201);
  });

  app.get('/', async (c) => {
    const { deps, principal } = c.var;
    const f = parseQuery(listQuery, c);
    const { items, next } = await listLeads(readDeps(deps), viewerOf(principal), {
      status: f.status, agency: f.agency, source: f.source, overdue: f.overdue === 'true', q: f.q,
      cursor: f.cursor ? decodeCursor(f.cursor) : undefined, limit: f.limit ?? 50, now: deps.clock.now().toISOString(),
    });
    noStore(c);
    return c.json({ items, nextCursor: next ? encodeCursor(next.createdAt, next.id) : null });
  });

  app.get('/:id', async (c) => {
    const { deps, principal } = c.var;
    const view = await readLead(readDeps(deps), viewerOf(principal), c.req.param('id'));
    if (!view) throw notFound();
    noStore(c);
    return c.json(view);
  });

  app.get('/:id/events', async (c) => {
    const { deps, principal } = c.var;
    const answer = await leadEvents(readDeps(deps), viewerOf(principal), c.req.param('id'));
    if (!answer) throw notFound();
    noStore(c);
    return c.json(answer);
  });

  return app;
}
