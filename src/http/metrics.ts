// The metrics port: what the HTTP layer reports and how /metrics is rendered. The runtime gives an
// implementation (src/runtime/metrics.ts, prom-client on Node); without one /metrics is 404.

export type { MetricsPort, RequestObservation } from '../app/deps.ts';
