// One JSON line per request: request id, method, path, status, time. Refused requests (401, 404,
// 413, 415, 422, 429) are not logged one by one, so that a flood cannot bury the log: they are
// counted per source (the webhook source or the API, and the client's address) and written as
// one line per source and minute, with the count by status, once that minute is over.
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { findSource, WEBHOOK_SOURCES } from '../../../webhooks/index.ts';
import type { AppEnv, Logger } from '../context.ts';

export const REFUSED_STATUSES: ReadonlySet<number> = new Set([401, 404, 413, 415, 422, 429]);
/** Distinct sources counted in one minute; beyond it they share one line. */
const MAX_SOURCES = 1000;

interface Tally { source: string; address: string; count: number; statuses: Record<string, number> }

/** Where a request came from, as far as the HTTP layer can tell: the route's source and the peer. */
function sourceOf(c: Context): { source: string; address: string } {
  const [, first, second] = c.req.path.split('/');
  const sources = (c.var as Partial<AppEnv['Variables']>).deps?.config?.sources ?? WEBHOOK_SOURCES;
  const source = first === 'webhooks' ? `webhook:${second && findSource(sources, second) ? second : 'unknown'}`
    : first === 'api' ? 'api' : 'other';
  // Node's adapter passes the incoming message as the environment; other runtimes: unknown.
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return { source, address: env?.incoming?.socket?.remoteAddress ?? 'unknown' };
}

/** Counts refused requests per source and minute; `flush` writes the minutes that are over. */
export function refusalTally(log: Logger) {
  let minute = -1;
  let tallies = new Map<string, Tally>();
  const flush = (now: number, all = false) => {
    const current = Math.floor(now / 60_000);
    if (tallies.size === 0 || (!all && current === minute)) return;
    const from = new Date(minute * 60_000).toISOString();
    for (const t of tallies.values()) {
      log.info({ msg: 'refused requests', source: t.source, address: t.address, minute: from, count: t.count, statuses: t.statuses });
    }
    tallies = new Map();
  };
  return {
    flush,
    count(now: number, who: { source: string; address: string }, status: number) {
      const current = Math.floor(now / 60_000);
      if (current !== minute) {
        flush(now, true);
        minute = current;
      }
      let key = `${who.source} ${who.address}`;
      if (!tallies.has(key) && tallies.size >= MAX_SOURCES) key = 'other';
      let t = tallies.get(key);
      if (!t) tallies.set(key, t = { ...(key === 'other' ? { source: 'other', address: 'other' } : who), count: 0, statuses: {} });
      t.count++;
      t.statuses[status] = (t.statuses[status] ?? 0) + 1;
    },
  };
}

/** Status logged for a request whose client hung up before the answer (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** The client hung up while its request was read: nobody to answer and nothing that failed here. */
export function clientClosed(c: Context, err: unknown): boolean {
  const e = err as { code?: string; message?: string; name?: string } | null;
  // Node's server rejects the body read with Error("aborted"), code ECONNRESET; web streams with
  // AbortError or "terminated" once the request's signal has fired. Any other error (a database
  // connection reset among them) keeps its stack.
  return (e?.message === 'aborted' && e.code === 'ECONNRESET')
    || (Boolean(c.req.raw.signal?.aborted) && (e?.name === 'AbortError' || e?.message === 'terminated'));
}

export function requestLog(): MiddlewareHandler<AppEnv> {
  let tally: ReturnType<typeof refusalTally> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || crypto.randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    await next();
    const { log, clock, metrics } = c.var.deps;
    const ms = performance.now() - started;
    const status = c.res.status;
    metrics?.observeRequest({
      method: c.req.method, route: routePath(c, -1), status, seconds: ms / 1000,
      webhookSource: c.req.method === 'POST' ? /^\/webhooks\/([^/]+)$/.exec(c.req.path)?.[1] : undefined,
    });
    const now = clock.now().getTime();
    tally ??= refusalTally(log);
    tally.flush(now);
    if (REFUSED_STATUSES.has(status)) {
      tally.count(now, sourceOf(c), status);
      // The minute's line is written by the next request after it, or by this timer when none comes.
      timer ??= setTimeout(() => {
        timer = undefined;
        tally?.flush(clock.now().getTime());
      }, 61_000 - (now % 60_000));
      (timer as { unref?: () => void }).unref?.();
      return;
    }
    log.info({
      msg: 'request', requestId, method: c.req.method, path: c.req.path, status,
      ms: Math.round(ms * 10) / 10,
    });
  };
}
