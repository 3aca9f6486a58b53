// Delivers the callbacks to the sources (API.md §7): each a Standard Webhooks POST signed with
// the source's secret, its `webhook-id` the same on every attempt. Any answer but 2xx is retried
// with the outbox's back-off for 72 hours, then given up. A report's callbacks go in order (the
// claim never takes one while an earlier one of the same report is pending); an endpoint that
// fails is left alone for the rest of the pass, so a dead endpoint holds up no other source.
import { claimDueCallbacks, markCallbackFailed, markCallbackSent, releaseCallback, type CallbackRow } from '../db/stores/callbacks.ts';
import { signCallback } from '../domain/callbacks/index.ts';
import { planRetry } from '../notify/index.ts';
import type { JobDeps } from './jobDeps.ts';

export interface CallbackResult { sent: number; retried: number; dead: number }

const LEASE_MS = 5 * 60_000;
/** An endpoint that has not answered by then counts as failed (and is retried later). */
export const CALLBACK_TIMEOUT_MS = 10_000;

async function post(deps: JobDeps, row: CallbackRow, fetchFn: typeof fetch): Promise<void> {
  const endpoint = deps.config.callbacks?.[row.source];
  if (!endpoint) throw new Error(`来源“${row.source}”未配置回调地址`); // not claimed by deliverCallbacks
  // The receiver checks the timestamp against its own clock: sign with the real time of the
  // attempt, not the service's clock (which XIANSUO_CLOCK may have shifted).
  const headers = signCallback(endpoint.secret, row.id, Date.now(), row.body);
  const res = await fetchFn(endpoint.url, {
    method: 'POST', body: row.body, redirect: 'manual', signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'xiansuo-callbacks/1' },
  });
  await res.body?.cancel().catch(() => {});
  if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`);
}

export async function deliverCallbacks(deps: JobDeps, now: Date, opts: { fetch?: typeof fetch; limit?: number } = {}): Promise<CallbackResult> {
  const result: CallbackResult = { sent: 0, retried: 0, dead: 0 };
  // A process without a source's endpoint (an operator's `xiansuo sweep` without CALLBACK_*)
  // leaves that source's callbacks alone rather than counting failures against them.
  const sources = deps.config.sources.map((s) => s.name);
  const failing: string[] = sources.filter((s) => !deps.config.callbacks?.[s]);
  if (failing.length === sources.length) return result;
  const at = now.toISOString();
  for (;;) {
    const batch = await claimDueCallbacks(deps.db, at, opts.limit ?? 100, LEASE_MS, failing);
    if (batch.length === 0) break;
    for (const row of batch) {
      if (failing.includes(row.source)) {
        // Its endpoint just failed: leave it for the next pass, unattempted.
        await releaseCallback(deps.db, row);
        continue;
      }
      try {
        await post(deps, row, opts.fetch ?? fetch);
        await markCallbackSent(deps.db, row, at);
        result.sent++;
      } catch (err) {
        const error = String((err as Error).message ?? err);
        failing.push(row.source);
        const plan = planRetry({ attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? at, now: at, permanent: false });
        if (plan.action === 'retry') {
          await markCallbackFailed(deps.db, row, at, error, { retryAt: plan.at.toISOString() });
          result.retried++;
        } else {
          await markCallbackFailed(deps.db, row, at, error, { dead: true });
          result.dead++;
        }
        deps.log.error({ msg: '回调发送失败', callback: row.id, source: row.source, type: row.type, attempts: row.attempts + 1, error, gaveUp: plan.action === 'dead' });
      }
    }
  }
  return result;
}
