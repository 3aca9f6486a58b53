// The delivery log per source: inbound deliveries counted by the answer they got, the last
// refusal's reason, and the callbacks' state (GET /api/sources, xiansuo sources).
//
// Answers are counted in memory and written at most once a second (and on flush/close), so that
// counting costs intake no extra commit; a crash loses at most the last second's counts. On
// Workers (`perRequest`), where an isolate may go away as soon as its requests are answered, the
// middleware writes each answer after the response, in the request's waitUntil.
import type { Kysely } from 'kysely';
import type { DB } from '../schema/index.ts';
import type { SourceLog, SourceOverview } from '../../domain/sourceLog.ts';
import { callbackCounts } from './callbacks.ts';

export type { SourceLog, SourceOverview } from '../../domain/sourceLog.ts';

interface Entry { source: string; status: number; count: number; lastAt: string; lastDetail: string | null }

export function createSourceLog(
  db: Kysely<DB>, opts: { delayMs?: number; onError?: (err: unknown) => void; perRequest?: boolean } = {},
): SourceLog {
  let pending = new Map<string, Entry>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const add = (e: Entry) => {
    const key = `${e.source}\u0000${e.status}`;
    const old = pending.get(key);
    if (!old) pending.set(key, { ...e });
    else {
      old.count += e.count;
      if (e.lastAt >= old.lastAt) {
        old.lastAt = e.lastAt;
        old.lastDetail = e.lastDetail ?? old.lastDetail;
      }
    }
  };

  const writeOut = async (): Promise<void> => {
    const batch = [...pending.values()];
    pending = new Map();
    for (const [i, e] of batch.entries()) {
      try {
        await db.insertInto('source_log').values({
          source: e.source, status: e.status, count: e.count, last_at: e.lastAt, last_detail: e.lastDetail,
        }).onConflict((oc) => oc.columns(['source', 'status']).doUpdateSet((eb) => ({
          count: eb('source_log.count', '+', eb.ref('excluded.count')),
          last_at: eb.ref('excluded.last_at'),
          last_detail: eb.fn.coalesce('excluded.last_detail', 'source_log.last_detail'),
        }))).execute();
      } catch (err) {
        for (const rest of batch.slice(i)) add(rest); // kept for the next flush
        throw err;
      }
    }
  };

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    flushing = flushing.catch(() => {}).then(writeOut);
    return flushing;
  };

  return {
    answered(source, status, at, detail) {
      add({ source, status, count: 1, lastAt: at, lastDetail: detail?.slice(0, 500) ?? null });
      if (timer || opts.perRequest) return;
      timer = setTimeout(() => void flush().catch((err) => opts.onError?.(err)), opts.delayMs ?? 1000);
      timer.unref?.();
    },
    flush,
    perRequest: opts.perRequest === true,
  };
}

/** Only scheme, host and path: a callback URL may carry a token in its query or user part. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(无效地址)';
  }
}

export async function sourceOverview(
  db: Kysely<DB>, sources: readonly string[], opts: { enabled: (s: string) => boolean; callbackUrl: (s: string) => string | undefined },
): Promise<SourceOverview[]> {
  const [names, log, counts] = await Promise.all([
    db.selectFrom('sources').select(['code', 'name']).execute(),
    db.selectFrom('source_log').selectAll().execute(),
    callbackCounts(db),
  ]);
  return sources.map((source) => {
    const rows = log.filter((r) => r.source === source);
    const byStatus: Record<string, number> = {};
    for (const r of rows.sort((a, b) => Number(a.status) - Number(b.status))) byStatus[String(r.status)] = Number(r.count);
    const refusals = rows.filter((r) => Number(r.status) >= 400).sort((a, b) => (a.last_at < b.last_at ? 1 : -1));
    const last = refusals[0];
    const url = opts.callbackUrl(source);
    return {
      source, name: names.find((n) => n.code === source)?.name ?? source, enabled: opts.enabled(source),
      inbound: {
        total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus,
        lastRefusal: last ? { at: last.last_at, status: Number(last.status), detail: last.last_detail } : null,
      },
      callback: url ? { url: redactUrl(url), ...(counts[source] ?? { pending: 0, failed: 0, delivered: 0, lastError: null }) } : null,
    };
  });
}
