// The bindings wrangler.toml gives the worker: D1, the de-duplication Durable Object, and the
// variables and secrets (strings) that workerConfig.ts parses.
import type { D1Database, DurableObjectNamespace } from '@cloudflare/workers-types';


export interface WorkerEnv {
  DB: D1Database;
  /** The de-duplication index (dedupeObject.ts), one object named "index". */
  DEDUPE: DurableObjectNamespace;
  [variable: string]: unknown;
}
