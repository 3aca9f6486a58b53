import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit, sizeText } from './webhook.ts';

/** A body that arrives in pieces, with no declared length (chunked). */
function chunked(pieces: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(enc.encode(pieces[i++]!));
      else controller.close();
    },
  });
}

function app(limit: number) {
  const a = new Hono();
  let reachedRoleCheck = 0;
  a.use('*', bodyLimit(limit));
  a.use('*', async (c, next) => { // stands for the role check that must come after the limit
    reachedRoleCheck++;
    if (c.req.header('x-role') !== 'bureau') return c.text('forbidden', 403);
    await next();
  });
  a.post('/echo', async (c) => c.text(await c.req.text()));
  return { a, reached: () => reachedRoleCheck };
}

describe('bodyLimit', () => {
  it('refuses a declared Content-Length over the limit with 413 problem+json, before the role check', async () => {
    const { a, reached } = app(1024);
    const res = await a.request('/echo', { method: 'POST', body: 'x'.repeat(1025), headers: { 'content-length': '1025' } });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 413, type: '/problems/payload-too-large', detail: '请求体不能超过 1 KiB' });
    expect(reached()).toBe(0);
  });

  it('counts a chunked body while reading it and refuses it at the limit, before the role check', async () => {
    const { a, reached } = app(1024);
    const res = await a.request('/echo', {
      method: 'POST', body: chunked(['x'.repeat(600), 'y'.repeat(600)]), duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(reached()).toBe(0);
  });

  it('passes bodies within the limit on unchanged, declared or chunked', async () => {
    const { a } = app(1024);
    const declared = await a.request('/echo', { method: 'POST', body: '数据'.repeat(100), headers: { 'x-role': 'bureau' } });
    expect(await declared.text()).toBe('数据'.repeat(100));
    const pieces = await a.request('/echo', {
      method: 'POST', body: chunked(['a'.repeat(512), 'b'.repeat(512)]), duplex: 'half', headers: { 'x-role': 'bureau' },
    } as RequestInit);
    expect(pieces.status).toBe(200);
    expect(await pieces.text()).toBe('a'.repeat(512) + 'b'.repeat(512));
  });

  it('lets requests without a body through to the role check', async () => {
    const { a, reached } = app(1024);
    expect((await a.request('/echo', { method: 'POST' })).status).toBe(403);
    expect(reached()).toBe(1);
  });

  it('names the limit as a person reads it', () => {
    expect([sizeText(1024 * 1024), sizeText(256 * 1024), sizeText(1000)]).toEqual(['1 MiB', '256 KiB', '1000 字节']);
  });
});
