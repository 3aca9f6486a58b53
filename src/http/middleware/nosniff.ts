// X-Content-Type-Options: nosniff on every answer, errors and 404s included: a browser never
// guesses another type than the one declared (a JSON body shown as HTML, say).
import type { MiddlewareHandler } from 'hono';

export function nosniff(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    try {
      c.res.headers.set('x-content-type-options', 'nosniff');
    } catch { // a response with immutable headers (one passed through from fetch): copy it
      const res = new Response(c.res.body, c.res);
      res.headers.set('x-content-type-options', 'nosniff');
      c.res = res;
    }
  };
}
