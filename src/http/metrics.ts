// The metrics port: what the HTTP layer reports and how /metrics is rendered. The runtime gives an
// implementation (src/runtime/metrics.ts, prom-client on Node); without one /metrics is 404.

export interface RequestObservation {
  method: string;
  /** The matched route pattern ('/api/leads/:id'), never the raw path: a bounded set of labels. */
  route: string;
  status: number;
  seconds: number;
  /** For POST /webhooks/{source}: the source named in the path. */
  webhookSource?: string;
}

export interface MetricsPort {
  observeRequest(o: RequestObservation): void;
  /** The exposition text, gauges read fresh. */
  render(): Promise<{ contentType: string; body: string }>;
}
