// 公示 by the bureau: GET /api/leads/{id}/publication (the masked draft and what is published),
// POST /api/leads/{id}/publish {summary?}, POST /api/leads/{id}/unpublish {reason?}.
import { Hono } from 'hono';
import { z } from 'zod';
import { publicationDraft, publishLead } from '../../app/publishLead.ts';
import { unpublishLead } from '../../app/unpublishLead.ts';
import { PublicationError } from '../../domain/publication/publish.ts';
import { readJson, validate } from '../body.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { badRequest, conflict, notFound } from '../problem.ts';

export const publishBody = z.strictObject({ summary: z.string().max(20_000).optional() });
export const unpublishBody = z.strictObject({ reason: z.string().max(500).optional() });

async function guard<T>(work: Promise<T | undefined>): Promise<T> {
  try {
    const out = await work;
    if (out === undefined) throw notFound();
    return out;
  } catch (err) {
    if (err instanceof PublicationError) throw err.code === 'state' ? conflict(err.message) : badRequest(err.message);
    throw err;
  }
}

export function publicationRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/:id/publication', async (c) => {
    requireRole(c, 'bureau');
    return c.json(await guard(publicationDraft(c.var.deps, c.req.param('id'))));
  });
  app.post('/:id/publish', async (c) => {
    const p = requireRole(c, 'bureau');
    const body = validate(publishBody, await readJson(c));
    return c.json(await guard(publishLead(c.var.deps, c.req.param('id'), body, p.tokenId)));
  });
  app.post('/:id/unpublish', async (c) => {
    const p = requireRole(c, 'bureau');
    const body = validate(unpublishBody, await readJson(c));
    return c.json(await guard(unpublishLead(c.var.deps, c.req.param('id'), body, p.tokenId)));
  });
  return app;
}
