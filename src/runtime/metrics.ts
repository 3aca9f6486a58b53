// The metrics port (src/http/metrics.ts) on Node: prom-client, with a registry of this instance's
// own. Counters and the latency histogram are this instance's; the outbox and assignment gauges
// are read from the database at each scrape, so every instance shows the same figures.
import client from 'prom-client';
import type { Kysely } from 'kysely';
import { countOutbox } from '../db/stores/outboxQueue.ts';
import { assignmentCounts } from '../db/stores/workload.ts';
import type { DB } from '../db/schema/index.ts';
import type { Clock } from '../domain/types.ts';
import type { MetricsPort } from '../http/metrics.ts';

export interface NodeMetrics extends MetricsPort {
  /** A sweep pass finished at `at` (the scheduler calls this). */
  sweepDone(at: Date): void;
}

export function nodeMetrics(opts: { reader: Kysely<DB>; clock: Clock; sources: string[]; onError?(err: unknown): void }): NodeMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'xiansuo_' });
  const deliveries = new client.Counter({
    name: 'xiansuo_webhook_deliveries_total', help: 'Webhook deliveries by source and HTTP answer',
    labelNames: ['source', 'status'] as const, registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'xiansuo_http_request_duration_seconds', help: 'HTTP request latency by route and answer',
    labelNames: ['method', 'route', 'status'] as const, registers: [registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const reader = opts.reader;
  new client.Gauge({
    name: 'xiansuo_outbox_messages', help: 'Outbox messages waiting to be sent (pending) or given up (dead)',
    labelNames: ['status'] as const, registers: [registry],
    async collect() {
      try {
        const c = await countOutbox(reader);
        this.set({ status: 'pending' }, c.pending);
        this.set({ status: 'dead' }, c.dead);
      } catch (err) {
        opts.onError?.(err);
      }
    },
  });
  new client.Gauge({
    name: 'xiansuo_assignments', help: 'Assignments not yet answered by their agency (open), and those past a deadline (overdue)',
    labelNames: ['state'] as const, registers: [registry],
    async collect() {
      try {
        const c = await assignmentCounts(reader, opts.clock.now().toISOString());
        this.set({ state: 'open' }, c.open);
        this.set({ state: 'overdue' }, c.overdue);
      } catch (err) {
        opts.onError?.(err);
      }
    },
  });
  const lastSweep = new client.Gauge({
    name: 'xiansuo_last_sweep_timestamp_seconds', help: 'When this instance last finished a deadline sweep (Unix seconds; 0: not yet)',
    registers: [registry],
  });
  lastSweep.set(0);
  const known = new Set(opts.sources);
  return {
    observeRequest(o) {
      const status = String(o.status);
      latency.observe({ method: o.method, route: o.route, status }, o.seconds);
      if (o.webhookSource !== undefined) deliveries.inc({ source: known.has(o.webhookSource) ? o.webhookSource : 'unknown', status });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    sweepDone(at) {
      lastSweep.set(at.getTime() / 1000);
    },
  };
}
