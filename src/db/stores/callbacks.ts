// Callbacks to the sources (API.md §7): queued in the same transaction as the events that cause
// them (queueCallbacks in src/db/commit.ts), then claimed by conditional updates, one report's callbacks in order.
import type { CallbackCounts } from '../../domain/sourceLog.ts';
import { sql, type Kysely } from 'kysely';
import { durable } from '../commit.ts';
import type { DB } from '../schema/index.ts';

/**
 * Records which sources have a callback (URL only), replacing what an earlier start wrote. Upserts
 * rather than delete-and-insert, so that instances starting at the same moment do not collide.
 */
export async function setCallbackSources(db: Kysely<DB>, urls: Partial<Record<string, string>>, at: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const q of callbackSourceQueries(tx, urls, at)) await q.execute();
  });
}

/** The statements of setCallbackSources, to run as one transaction (on D1: one batch, at the worker's start). */
export function callbackSourceQueries(db: Kysely<DB>, urls: Partial<Record<string, string>>, at: string) {
  const present = Object.entries(urls).filter((e): e is [string, string] => Boolean(e[1]));
  let gone = db.deleteFrom('source_callbacks');
  if (present.length > 0) gone = gone.where('source', 'not in', present.map(([s]) => s));
  return [gone, ...present.map(([source, url]) => db.insertInto('source_callbacks').values({ source, url, updated_at: at })
    .onConflict((oc) => oc.column('source').doUpdateSet({ url, updated_at: at })))];
}

export interface CallbackRow {
  id: string;
  source: string;
  reportId: string;
  type: string;
  body: string;
  attempts: number;
  firstAttemptAt: string | null;
  claim: string;
}

/**
 * Claims up to `limit` due callbacks; each is ours alone until `leaseMs` has passed. A callback
 * is not taken while an earlier one of the same report is still pending (in order per report).
 * `skipSources`: endpoints that failed earlier in this pass.
 */
export async function claimDueCallbacks(
  db: Kysely<DB>, now: string, limit: number, leaseMs: number, skipSources: readonly string[] = [],
): Promise<CallbackRow[]> {
  let q = db.selectFrom('callbacks as c').selectAll('c').where('c.status', '=', 'pending')
    .where('c.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('c.claimed_until', 'is', null), eb('c.claimed_until', '<', now)]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('callbacks as e').select(sql`1`.as('one'))
      .whereRef('e.report_id', '=', 'c.report_id').whereRef('e.seq', '<', 'c.seq').where('e.status', '=', 'pending'))));
  if (skipSources.length > 0) q = q.where('c.source', 'not in', skipSources);
  const candidates = await q.orderBy('c.next_attempt_at').orderBy('c.seq').limit(limit).execute();
  const claim = crypto.randomUUID();
  const until = new Date(new Date(now).getTime() + leaseMs).toISOString();
  const out: CallbackRow[] = [];
  for (const c of candidates) {
    const r = await db.updateTable('callbacks').set({ claim, claimed_until: until })
      .where('id', '=', c.id).where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue; // another instance took it
    out.push({
      id: c.id, source: c.source, reportId: c.report_id, type: c.type, body: c.body,
      attempts: Number(c.attempts), firstAttemptAt: c.first_attempt_at, claim,
    });
  }
  return out;
}

export async function markCallbackSent(db: Kysely<DB>, row: CallbackRow, at: string): Promise<void> {
  await db.updateTable('callbacks').set({
    status: 'sent', sent_at: at, attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at,
    claim: null, claimed_until: null,
  }).where('id', '=', row.id).where('claim', '=', row.claim).execute();
  // On disk before the next one goes: a power cut must not make a delivered callback look undelivered.
  await durable(db);
}

export async function markCallbackFailed(
  db: Kysely<DB>, row: CallbackRow, at: string, error: string, next: { retryAt: string } | { dead: true },
): Promise<void> {
  await db.updateTable('callbacks').set({
    attempts: row.attempts + 1, first_attempt_at: row.firstAttemptAt ?? at, last_error: error.slice(0, 1000), last_error_at: at,
    claim: null, claimed_until: null,
    ...('dead' in next ? { status: 'dead' } : { next_attempt_at: next.retryAt }),
  }).where('id', '=', row.id).where('claim', '=', row.claim).execute();
}

export type { CallbackCounts } from '../../domain/sourceLog.ts';

/** Per source: callbacks pending, failed (given up) and delivered, and the last error. */
export async function callbackCounts(db: Kysely<DB>): Promise<Record<string, CallbackCounts>> {
  const rows = await db.selectFrom('callbacks').select(['source', 'status', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['source', 'status']).execute();
  const out: Record<string, CallbackCounts> = {};
  const of = (s: string) => (out[s] ??= { pending: 0, failed: 0, delivered: 0, lastError: null });
  for (const r of rows) {
    const c = of(r.source);
    const n = Number(r.n);
    if (r.status === 'pending') c.pending += n;
    else if (r.status === 'dead') c.failed += n;
    else if (r.status === 'sent') c.delivered += n;
  }
  for (const source of Object.keys(out)) {
    const last = await db.selectFrom('callbacks').select(['id', 'type', 'last_error', 'last_error_at'])
      .where('source', '=', source).where('last_error_at', 'is not', null)
      .orderBy('last_error_at', 'desc').limit(1).executeTakeFirst();
    if (last?.last_error && last.last_error_at) {
      of(source).lastError = { at: last.last_error_at, error: last.last_error, type: last.type, id: last.id };
    }
  }
  return out;
}

/** Gives a claimed callback back untried (its endpoint failed earlier in the same pass). */
export async function releaseCallback(db: Kysely<DB>, row: CallbackRow): Promise<void> {
  await db.updateTable('callbacks').set({ claim: null, claimed_until: null })
    .where('id', '=', row.id).where('claim', '=', row.claim).execute();
}
