import { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppEnv } from '../context.ts';

export function healthRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { deps } = c.var;
    const started = performance.now();
    try {
      await sql`select 1`.execute(deps.reader);
      return c.json({ status: 'ok', database: { dialect: deps.dialect, ok: true, ms: Math.round(performance.now() - started) } });
    } catch (err) {
      return c.json({ status: 'degraded', database: { dialect: deps.dialect, ok: false, error: String(err) } }, 503);
    }
  });
  return app;
}
