// The real app, built in-process over a fresh SQLite file in a temp dir, for evaluation and benchmark
// scripts (eval:routing, eval:dedupe). Deliveries are signed with the official standardwebhooks
// package and go through the whole HTTP path (signature, schema, intake, dedupe, routing); reads use
// an admin token. The clock stands still until set, and is the delivery's signing time too.
import { testApp } from '../../test/helpers/app.ts';
import type { SECRETS } from '../../test/helpers/sign.ts';

export type Source = keyof typeof SECRETS;

export interface Answer<T = any> {
  status: number;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  json: T;
}

export interface InProcessApp {
  /** POST a signed webhook to /webhooks/{source}; `id` is the webhook-id (random when omitted). */
  deliver<T = any>(source: Source, payload: unknown, opts?: { id?: string }): Promise<Answer<T>>;
  /** GET with an admin token. */
  get<T = any>(path: string): Promise<Answer<T>>;
  clock: { now(): Date; set(iso: string): void; advance(ms: number): void };
  /** Close the database and remove its temp dir. */
  close(): Promise<void>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* leave null */ }
  return { status: res.status, json };
}

export async function inProcessApp(opts: { now?: string; env?: Record<string, string> } = {}): Promise<InProcessApp> {
  const t = await testApp('sqlite', opts);
  return {
    deliver: async (source, payload, o) => answer(await t.deliver(source, payload, o)),
    get: async (path) => answer(await t.get(path)),
    clock: t.clock,
    close: () => t.close(),
  };
}
