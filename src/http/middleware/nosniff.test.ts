import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { nosniff } from './nosniff.ts';

describe('nosniff', () => {
  const app = new Hono();
  app.use('*', nosniff());
  app.get('/json', (c) => c.json({ ok: true }));
  app.get('/thrown', () => { throw new HTTPException(418, { message: 'no' }); });
  app.get('/raw', () => Response.redirect('https://example.com/', 302)); // immutable headers
  app.onError((err, c) => c.text(String(err), err instanceof HTTPException ? err.status : 500));

  it.each(['/json', '/thrown', '/raw', '/missing'])('sets X-Content-Type-Options: nosniff on %s', async (path) => {
    const res = await app.request(path);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
