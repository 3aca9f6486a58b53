// Web sessions for the pages: an HttpOnly, SameSite=Strict cookie holding a random 128-bit id
// (stored hashed), 30 minutes idle and 12 hours absolute, checked against its token's revocation
// on every request. Without a live session a GET goes to the sign-in page and comes back after.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ABSOLUTE_MS, currentSession, endSessionNow, startSession as begin } from '../../app/sessions.ts';
import type { Principal } from '../../domain/tokens.ts';
import type { AppEnv } from '../context.ts';

export const SESSION_COOKIE = 'xs_session';

export interface PageSession {
  csrf: string;
}

export interface PageEnv {
  Variables: AppEnv['Variables'] & { session: PageSession; form: Record<string, string> };
}

/** Came the request over HTTPS (directly, or through a proxy that says so)? */
export function isHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return new URL(c.req.url).protocol === 'https:';
}

/** A same-site path to come back to after sign-in; anything else (other hosts, `//x`, `/\x`) is `/`. */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f]/.test(next)) return '/';
  return next;
}

export async function startSession(c: Context<AppEnv>, principal: Principal): Promise<void> {
  const id = await begin(c.var.deps, principal);
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/', maxAge: ABSOLUTE_MS / 1000,
  });
}

export async function stopSession(c: Context<PageEnv>): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await endSessionNow(c.var.deps, id);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Strict' });
}

/**
 * Requires a live session: sets `principal` and `session`. Without one, a GET is sent to
 * /login?next=… (and comes back after signing in); a form post is sent to /login.
 */
export function sessionAuth(): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const found = id ? await currentSession(c.var.deps, id) : undefined;
    if (!found) {
      const url = new URL(c.req.url);
      const here = url.pathname + url.search;
      // A link followed from another site (a mail client's web page) carries no SameSite=Strict
      // cookie: reload once from our own page, which does, before asking to sign in.
      if (!id && c.req.method === 'GET' && c.req.header('sec-fetch-site') === 'cross-site') {
        const to = escapeAttr(here);
        return c.html(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${to}"><title>正在打开…</title><p><a href="${to}">继续打开</a></p></html>`);
      }
      const back = `/login?next=${encodeURIComponent(here)}`;
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(back, 303);
      return c.redirect('/login', 303);
    }
    c.set('principal', found.principal);
    c.set('session', { csrf: found.csrf });
    c.header('cache-control', 'no-store');
    await next();
  };
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
