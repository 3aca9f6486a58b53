// A whole app over a fresh database of the given dialect, with a fixed clock and no network.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/http/app.ts';
import type { AppDeps } from '../../src/http/context.ts';
import { loadConfig } from '../../src/runtime/config.ts';
import type { DialectName } from '../../src/runtime/database.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { buildDeps, prepareDatabase, registerCallbacks } from '../../src/runtime/services.ts';
import { createToken } from '../../src/db/stores/tokens.ts';
import type { Role } from '../../src/domain/types.ts';
import type { WebhookSource } from '../../webhooks/index.ts';
import { fixedClock } from './clock.ts';
import { freshDatabase, type TestDatabase } from './dialects.ts';
import { checkedApp } from './openapi.ts';
import { SECRETS, signedHeaders, SOURCE_TEST_ENV } from './sign.ts';

export const ADMIN_TOKEN = 'admin-token-for-tests-only-0123456789';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  database: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  token(role: Role, opts?: { agency?: string; supervisorId?: string }): Promise<string>;
  deliver(source: keyof typeof SECRETS, payload: unknown, opts?: { id?: string; headers?: Record<string, string> }): Promise<Response>;
  get(path: string, token?: string): Promise<Response>;
  post(path: string, body: unknown, token?: string): Promise<Response>;
  close(): Promise<void>;
}

let deliveries = 0;

/** `sources`: the webhook sources (default: the registry of webhooks/index.ts). */
export async function testApp(dialect: DialectName, opts: { env?: Record<string, string>; now?: string; deps?: Partial<AppDeps>; sources?: readonly WebhookSource[] } = {}): Promise<TestApp> {
  const database = await freshDatabase(dialect);
  const clock = fixedClock(opts.now ?? '2026-03-02T02:00:00.000Z');
  const config = loadConfig({
    XIANSUO_ADMIN_TOKEN: ADMIN_TOKEN,
    ...SOURCE_TEST_ENV,
    // Tests that exercise automatic dispatch switch it on themselves.
    XIANSUO_AUTO_DISPATCH: 'off',
    XIANSUO_MAIL_DIR: join(tmpdir(), `xiansuo-mail-${process.pid}`),
    ...opts.env,
  }, opts.sources);
  await prepareDatabase(database, config, clock);
  await registerCallbacks(database, config, clock);
  const deps = { ...(await buildDeps(database, config, clock, silentLogger)), ...opts.deps };
  // Every /api and /webhooks answer a suite receives is checked against the OpenAPI document, which
  // describes the registered sources: an app given a registry of its own (a test-only source) is not.
  const app = opts.sources ? createApp(deps) : checkedApp(createApp(deps));
  const auth = (token?: string): Record<string, string> => ({ authorization: `Bearer ${token ?? ADMIN_TOKEN}` });
  return {
    app, deps, database, clock,
    token: async (role, o = {}) => (await createToken(database.db, { role, ...o }, clock.now().toISOString(), 'test')).token,
    deliver: (source, payload, o = {}) => {
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const id = o.id ?? `msg_test_${++deliveries}_${Math.random().toString(36).slice(2)}`;
      return Promise.resolve(app.request(`/webhooks/${source}`, {
        method: 'POST', body, headers: { ...signedHeaders(SECRETS[source], id, clock.now(), body), ...o.headers },
      }));
    },
    get: async (path, token) => app.request(path, { headers: auth(token) }),
    post: async (path, body, token) => app.request(path, {
      method: 'POST', body: JSON.stringify(body), headers: { ...auth(token), 'content-type': 'application/json' },
    }),
    close: async () => {
      await deps.close?.();
      await database.drop();
    },
  };
}
