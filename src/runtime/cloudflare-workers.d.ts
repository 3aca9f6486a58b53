// The slice of the Workers runtime module that src/runtime/worker.ts and dedupeObject.ts use. The
// full declarations (@cloudflare/workers-types) are global and clash with the DOM and Node types
// the rest of the project compiles with, so the types come from its importable entry instead.
declare module 'cloudflare:workers' {
  import type { DurableObjectState } from '@cloudflare/workers-types';
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}
