// Inside workerd (run from workerd.test.ts): bad signatures and bodies get the same answers from the worker as from the Node
// service (globalSetup.ts asked the Node app the same requests, byte for byte).
import { SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';

const cases = inject('webhookCases');

describe('webhooks on workerd answer as on Node', () => {
  it('has the cases the Node app answered', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(new Set(cases.map((c) => c.node.status))).toEqual(new Set([400, 401, 404, 413, 415, 422]));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const res = await SELF.fetch(`http://xiansuo.test${c.path}`, { method: 'POST', headers: c.headers, body: c.body });
    expect(res.status).toBe(c.node.status);
    expect(res.headers.get('content-type')).toBe(c.node.contentType);
    expect(JSON.parse(await res.text())).toEqual(JSON.parse(c.node.body));
  });
});
