// /metrics in Prometheus text format: webhook deliveries by source and answer, request latency,
// outbox pending and dead, open and overdue assignments, the last sweep's time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { deliverOutbox } from '../src/app/deliverOutbox.ts';
import { nodeMetrics, type NodeMetrics } from '../src/runtime/metrics.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';

/** The value of one sample, e.g. sample(text, 'xiansuo_outbox_messages{status="pending"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(await dialects())('/metrics on %s', (dialect) => {
  let t: TestApp;
  let metrics: NodeMetrics;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    t = await testApp(dialect);
    metrics = nodeMetrics({ reader: t.deps.reader, clock: t.clock, sources: ['hotline', 'media', 'supervisor'] });
    t.deps.metrics = metrics;
    app = createApp(t.deps);
  });
  afterAll(async () => { await t.close(); });

  const scrape = async () => {
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('counts webhook deliveries by source and answer, and request latency by route', async () => {
    const bureau = await t.token('bureau');
    const body = { orderNo: 'GD-MET-1', createdAt: '2026-03-02T09:15:00+08:00', ...PROBLEMS[1]! };
    expect([await appDeliver(body, 'met-1'), await appDeliver(body, 'met-1'), await appDeliver('{not json', 'met-2')]).toEqual([202, 200, 400]);
    await app.request('/webhooks/nowhere', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    await app.request('/api/leads', { headers: { authorization: `Bearer ${bureau}` } });
    const text = await scrape();
    expect(sample(text, 'xiansuo_webhook_deliveries_total{source="hotline",status="202"}')).toBe(1);
    expect(sample(text, 'xiansuo_webhook_deliveries_total{source="hotline",status="200"}')).toBe(1);
    expect(sample(text, 'xiansuo_webhook_deliveries_total{source="hotline",status="400"}')).toBe(1);
    expect(sample(text, 'xiansuo_webhook_deliveries_total{source="unknown",status="404"}')).toBe(1);
    expect(sample(text, 'xiansuo_http_request_duration_seconds_count{method="GET",route="/api/leads",status="200"}')).toBe(1);
    expect(sample(text, 'xiansuo_http_request_duration_seconds_count{method="POST",route="/webhooks/:source",status="202"}')).toBe(1);
    expect(text).toMatch(/xiansuo_process_cpu_seconds_total/);
  });

  it('reads the outbox and the assignments from the database at each scrape', async () => {
    const bureau = await t.token('bureau');
    const lead = (await t.database.db.selectFrom('leads').select('id').executeTakeFirstOrThrow()).id;
    expect((await t.post(`/api/leads/${lead}/assign`, { agency: 'urban' }, bureau)).status).toBe(200);
    let text = await scrape();
    expect(sample(text, 'xiansuo_outbox_messages{status="pending"}')).toBe(1);
    expect(sample(text, 'xiansuo_outbox_messages{status="dead"}')).toBe(0);
    expect(sample(text, 'xiansuo_assignments{state="open"}')).toBe(1);
    expect(sample(text, 'xiansuo_assignments{state="overdue"}')).toBe(0);
    await deliverOutbox(t.deps, t.clock.now());
    t.clock.set('2026-03-20T02:00:00.000Z'); // weeks later: the 签收 deadline has passed
    text = await scrape();
    expect(sample(text, 'xiansuo_outbox_messages{status="pending"}')).toBe(0);
    expect(sample(text, 'xiansuo_assignments{state="overdue"}')).toBe(1);
  });

  it('shows when this instance last finished a sweep', async () => {
    expect(sample(await scrape(), 'xiansuo_last_sweep_timestamp_seconds')).toBe(0);
    metrics.sweepDone(new Date('2026-03-20T02:00:00.000Z'));
    expect(sample(await scrape(), 'xiansuo_last_sweep_timestamp_seconds')).toBe(Date.parse('2026-03-20T02:00:00.000Z') / 1000);
  });

  async function appDeliver(payload: unknown, id: string): Promise<number> {
    const { signedHeaders, SECRETS } = await import('./helpers/sign.ts');
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const res = await app.request('/webhooks/hotline', { method: 'POST', body, headers: signedHeaders(SECRETS.hotline, id, t.clock.now(), body) });
    return res.status;
  }
});

describe('/metrics without an implementation', () => {
  it('is a 404 problem', async () => {
    const [dialect] = await dialects();
    const t = await testApp(dialect!);
    try {
      const res = await t.app.request('/metrics');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      await t.close();
    }
  });
});
