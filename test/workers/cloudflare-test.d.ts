// The slice of `cloudflare:test` (@cloudflare/vitest-pool-workers) these tests use, typed with the
// importable workers types (the package's own declarations are global Workers types, which clash
// with the DOM and Node types the project compiles with).
declare module 'cloudflare:test' {
  import type { D1Database, DurableObjectNamespace, ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
  export interface D1Migration { name: string; queries: string[] }
  export const env: {
    DB: D1Database;
    DEDUPE: DurableObjectNamespace;
    TEST_MIGRATIONS: D1Migration[];
    [binding: string]: unknown;
  };
  export const SELF: { fetch(input: string | Request, init?: RequestInit): Promise<Response> };
  export function applyD1Migrations(db: D1Database, migrations: D1Migration[], table?: string): Promise<void>;
  export function abortAllDurableObjects(): Promise<void>;
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: Date | number; cron?: string }): ScheduledController;
}
