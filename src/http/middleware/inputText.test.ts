import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { inputText } from './inputText.ts';

describe('inputText', () => {
  const app = new Hono();
  app.use('*', inputText());
  app.get('/api/leads', (c) => c.json(c.req.queries()));
  app.get('/api/leads/:id', (c) => c.text(c.req.param('id')));

  it('passes ordinary Chinese text, emoji and undecodable escapes on untouched', async () => {
    expect((await app.request('/api/leads?q=%E5%9F%8E%E7%AE%A1%F0%9F%98%80&agency=%E0%A4')).status).toBe(200);
    expect(await (await app.request('/api/leads/XS-2026-000001')).text()).toBe('XS-2026-000001');
  });

  it('answers a NUL or an unpaired surrogate in a query parameter with 400 naming it', async () => {
    const res = await app.request('/api/leads?status=triage&q=a%00b');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await res.json()).errors).toEqual([{ path: '/q', message: expect.stringContaining('NUL') }]);
    expect((await app.request('/api/leads?x%00=1')).status).toBe(400);
  });

  it('answers a NUL in a path segment with 404: nothing by that name can exist', async () => {
    for (const id of ['%00', 'XS-2026-000001%00', 'a%00b']) {
      const res = await app.request(`/api/leads/${id}`);
      expect(res.status).toBe(404);
      expect((await res.json()).type).toBe('/problems/not-found');
    }
  });
});
