import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { csrfProtection, readForm, sameOrigin } from './csrf.ts';
import type { PageEnv } from './session.ts';

function app() {
  const a = new Hono<PageEnv>();
  a.use('*', async (c, next) => { c.set('session', { csrf: 'right-token' }); await next(); });
  a.use('*', csrfProtection((c) => c.text('refused', 403)));
  a.get('/', (c) => c.text(String(sameOrigin(c))));
  a.post('/', (c) => c.json(c.var.form));
  return a;
}
const post = (body: Record<string, string>, headers: Record<string, string> = {}) => app().request('http://x.test/', {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'x.test', ...headers }, body: new URLSearchParams(body).toString(),
});

describe('csrfProtection', () => {
  it('lets a form with the session token through and hands the parsed form on', async () => {
    const res = await post({ _csrf: 'right-token', reason: '理由' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ _csrf: 'right-token', reason: '理由' });
  });
  it('refuses a missing or wrong token', async () => {
    expect((await post({ reason: 'x' })).status).toBe(403);
    expect((await post({ _csrf: 'wrong-token' })).status).toBe(403);
  });
  it('refuses a post from another origin or that the browser calls cross-site, even with the token', async () => {
    expect((await post({ _csrf: 'right-token' }, { origin: 'https://evil.test' })).status).toBe(403);
    expect((await post({ _csrf: 'right-token' }, { origin: 'null' })).status).toBe(403);
    expect((await post({ _csrf: 'right-token' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ _csrf: 'right-token' }, { origin: 'http://x.test', 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });
  it('lets GET through untouched', async () => {
    expect(await (await app().request('http://x.test/')).text()).toBe('true');
  });
});

describe('readForm', () => {
  it('reads url-encoded forms and nothing else', async () => {
    const a = new Hono();
    a.post('/', async (c) => c.json(await readForm(c)));
    const json = await a.request('/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await json.json()).toEqual({});
  });
});
