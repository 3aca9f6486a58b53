import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isHttps, safeNext } from './session.ts';

describe('safeNext', () => {
  it('keeps paths of this site and sends anything else home', () => {
    expect(safeNext('/leads/XS-2026-000001?x=1')).toBe('/leads/XS-2026-000001?x=1');
    for (const bad of [undefined, '', 'leads', '//evil.test', '/\\evil.test', 'https://evil.test/', '/\nx', 'javascript:alert(1)']) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });
});

describe('isHttps', () => {
  const app = new Hono().get('/', (c) => c.text(String(isHttps(c))));
  it('believes X-Forwarded-Proto, else the URL', async () => {
    expect(await (await app.request('http://x.test/')).text()).toBe('false');
    expect(await (await app.request('https://x.test/')).text()).toBe('true');
    expect(await (await app.request('http://x.test/', { headers: { 'x-forwarded-proto': 'https' } })).text()).toBe('true');
    expect(await (await app.request('https://x.test/', { headers: { 'x-forwarded-proto': 'http' } })).text()).toBe('false');
  });
});
