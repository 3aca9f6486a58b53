// CSRF protection of every page form: the request must come from our own pages (Origin and
// Sec-Fetch-Site, when the browser sends them) and carry the session's CSRF token in `_csrf`.
// The parsed form is kept in `form` for the handler.
import type { Context, MiddlewareHandler } from 'hono';
import { constantTimeEqual } from '../../domain/crypto.ts';
import type { PageEnv } from './session.ts';

export const CSRF_FIELD = '_csrf';

/** False when the browser says the request came from another site. */
export function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host') ?? new URL(c.req.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The body of a form post as strings (files are not accepted by any form). */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return {};
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function csrfProtection(refuse: (c: Context<PageEnv>) => Response | Promise<Response>): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const form = await readForm(c);
    const sent = form[CSRF_FIELD] ?? '';
    if (!sameOrigin(c) || !sent || !constantTimeEqual(sent, c.var.session.csrf)) return refuse(c);
    c.set('form', form);
    await next();
  };
}
