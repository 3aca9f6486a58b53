// Reading leads: GET /api/leads, /api/leads/{id}, /api/leads/{id}/events.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { disclosureFor } from '../../domain/lead.ts';
import { LEAD_STATUSES, SOURCES } from '../../domain/types.ts';
import { findVisibleLead, leadEvents, leadView, listLeads, summary, type Scope } from '../../db/stores/leads.ts';
import type { Principal } from '../../db/stores/tokens.ts';
import { write } from '../../db/write.ts';
import type { AppEnv } from '../context.ts';
import { badRequest, HttpProblem, notFound } from '../problem.ts';
import { readJson, validate } from '../body.ts';
import { requireRole } from '../middleware/auth.ts';
import { intake } from '../intake.ts';
import { sha256Hex } from '../../domain/crypto.ts';

export function scopeOf(p: Principal): Scope {
  if (p.role === 'agency') return { kind: 'agency', agency: p.agency ?? '\u0000' };
  if (p.role === 'supervisor') return { kind: 'supervisor', supervisorId: p.supervisorId ?? '\u0000' };
  return { kind: 'all' };
}

/** The query of GET /api/leads (also described in the OpenAPI document). */
export const listQuery = z.object({
  status: z.enum(LEAD_STATUSES).optional(),
  agency: z.string().min(1).max(64).optional(),
  source: z.enum(SOURCES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

function encodeCursor(createdAt: string, id: string): string {
  return btoa(`${createdAt}|${id}`).replace(/=+$/, '');
}
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = atob(cursor).split('|');
    if (createdAt && id) return { createdAt, id };
  } catch { /* fall through */ }
  throw badRequest('cursor 无效：请使用上一页返回的 nextCursor', { errors: [{ path: '/cursor', message: '无效' }] });
}

export function parseQuery<T extends z.ZodType>(schema: T, c: Context): z.infer<T> {
  return validate(schema, c.req.query());
}

/** A lead entered by hand by the bureau (a visit, a letter, a phone call). */
export const manualLead = z.strictObject({
  title: z.string().trim().min(1, '不能为空').max(500),
  content: z.string().trim().min(1, '不能为空').max(50_000),
  channel: z.enum(['bureau', 'public']).optional(),
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
    const lead = await findVisibleLead(deps.reader, outcome.answer.leadId, { kind: 'all' });
    const { view } = await leadView(deps.reader, lead!, 'masked');
    return c.json({ ...view, reportId: outcome.answer.reportId, duplicate: outcome.answer.duplicate }, 201);
  });

  app.get('/', async (c) => {
    const { deps, principal } = c.var;
    const f = parseQuery(listQuery, c);
    const limit = f.limit ?? 50;
    const rows = await listLeads(deps.reader, {
      status: f.status, agency: f.agency, source: f.source, overdue: f.overdue === 'true', q: f.q,
      cursor: f.cursor ? decodeCursor(f.cursor) : undefined, limit: limit + 1, now: deps.clock.now().toISOString(),
    }, scopeOf(principal));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({
      items: page.map(summary),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    });
  });

  app.get('/:id', async (c) => {
    const { deps, principal } = c.var;
    const lead = await findVisibleLead(deps.reader, c.req.param('id'), scopeOf(principal));
    if (!lead) throw notFound();
    const { view, unmaskedReports } = await leadView(deps.reader, lead, disclosureFor(principal.role));
    if (unmaskedReports.length > 0) {
      const at = deps.clock.now().toISOString();
      await write(deps.db, async (_tx, rec) => rec.record({
        leadId: lead.id, actor: principal.tokenId, action: 'reporter.unmasked', at,
        data: { reports: unmaskedReports, role: principal.role },
      }));
    }
    return c.json(view);
  });

  app.get('/:id/events', async (c) => {
    const { deps, principal } = c.var;
    const lead = await findVisibleLead(deps.reader, c.req.param('id'), scopeOf(principal));
    if (!lead) throw notFound();
    return c.json({ leadId: lead.id, items: await leadEvents(deps.reader, lead.id) });
  });

  return app;
}
