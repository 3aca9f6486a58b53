// The de-duplication index in SQL (src/domain/dedupe/port.ts): postings of a report's rare
// features to its lead, document frequencies, fingerprints. Look-ups touch only the postings of
// the few features asked for, inside the time window, so their cost does not grow with the store.
import { sql, type Kysely } from 'kysely';
import type {
  CandidateHit, DedupeIndex, IndexWrite, LeadFingerprint, ReportFingerprint,
} from '../../domain/dedupe/index.ts';
import { MAX_REPORTS_PER_LEAD } from '../../domain/dedupe/index.ts';
import type { DB } from '../schema/index.ts';
import { write, type Recorder, type Tx } from '../write.ts';

const CHUNK = 400;
const DOCS = 'dedupe-docs';

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Parsed fingerprints by report id: they never change once written, and parsing dominates scoring. */
class FingerprintCache {
  private map = new Map<string, ReportFingerprint>();
  constructor(private readonly max: number) {}
  get(id: string): ReportFingerprint | undefined {
    const v = this.map.get(id);
    if (v) {
      this.map.delete(id);
      this.map.set(id, v);
    }
    return v;
  }
  set(id: string, v: ReportFingerprint): void {
    this.map.set(id, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

const caches = new WeakMap<Kysely<DB>, FingerprintCache>();

function cacheOf(db: Kysely<DB>): FingerprintCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new FingerprintCache(20_000)));
  return c;
}

export function sqlDedupeIndex(db: Kysely<DB>): DedupeIndex {
  const cache = cacheOf(db);
  return {
    async totalDocs() {
      const row = await db.selectFrom('counters').select('last').where('name', '=', DOCS).executeTakeFirst();
      return Number(row?.last ?? 0);
    },
    async docFreq(features) {
      const out = new Map<string, number>();
      for (const part of chunks([...new Set(features)])) {
        const rows = await db.selectFrom('dedupe_df').select(['feature', 'n']).where('feature', 'in', part).execute();
        for (const r of rows) out.set(r.feature, Number(r.n));
      }
      return out;
    },
    async candidates(features, since, limit) {
      const hits = new Map<string, string[]>();
      for (const part of chunks([...new Set(features)])) {
        const rows = await db.selectFrom('dedupe_posting').select(['lead_id', 'feature'])
          .where('feature', 'in', part).where('posted_at', '>=', since).execute();
        for (const r of rows) {
          const list = hits.get(r.lead_id) ?? [];
          if (!list.includes(r.feature)) list.push(r.feature);
          hits.set(r.lead_id, list);
        }
      }
      return [...hits].map(([leadId, h]): CandidateHit => ({ leadId, hits: h }))
        .sort((a, b) => b.hits.length - a.hits.length || (a.leadId < b.leadId ? -1 : 1))
        .slice(0, limit);
    },
    async fingerprints(leadIds) {
      // First which reports (newest MAX_REPORTS_PER_LEAD of each lead), then the data of those not cached.
      const wanted = new Map<string, string[]>();
      for (const part of chunks([...new Set(leadIds)])) {
        const rows = await db.selectFrom('dedupe_fingerprint').select(['lead_id', 'report_id'])
          .where('lead_id', 'in', part).orderBy('reported_at', 'desc').execute();
        for (const r of rows) {
          const list = wanted.get(r.lead_id) ?? [];
          if (list.length < MAX_REPORTS_PER_LEAD) list.push(r.report_id);
          wanted.set(r.lead_id, list);
        }
      }
      const missing = [...wanted.values()].flat().filter((id) => !cache.get(id));
      for (const part of chunks(missing)) {
        const rows = await db.selectFrom('dedupe_fingerprint').select(['report_id', 'data']).where('report_id', 'in', part).execute();
        for (const r of rows) cache.set(r.report_id, JSON.parse(r.data) as ReportFingerprint);
      }
      return [...wanted].map(([leadId, ids]): LeadFingerprint => ({
        leadId, reports: ids.map((id) => cache.get(id)).filter((f): f is ReportFingerprint => Boolean(f)),
      }));
    },
  };
}

/**
 * Writes a report's postings, fingerprint and document frequencies, in the intake commit; once
 * committed, the fingerprint is cached for the index of `db` (the next reports are scored against it).
 */
export async function writeIndex(
  db: Kysely<DB>, tx: Tx, rec: Recorder, leadId: string, reportId: string, w: IndexWrite,
): Promise<void> {
  rec.afterCommit(() => cacheOf(db).set(reportId, w.fingerprint));
  const postedAt = w.fingerprint.reportedAt;
  if (w.postings.length) {
    await tx.insertInto('dedupe_posting')
      .values(w.postings.map((p) => ({ feature: p.feature, posted_at: postedAt, lead_id: leadId, weight: p.weight })))
      .execute();
  }
  await tx.insertInto('dedupe_fingerprint')
    .values({ report_id: reportId, lead_id: leadId, reported_at: postedAt, data: JSON.stringify(w.fingerprint) })
    .onConflict((oc) => oc.column('report_id').doNothing()).execute();
  // Document frequencies: one pending row here; foldDocFreq adds them up in batches. Upserting
  // ~500 scattered rows in every intake commit wrote megabytes of pages per report.
  await tx.insertInto('dedupe_df_pending')
    .values({ report_id: reportId, features: JSON.stringify([...new Set(w.docFeatures)]), created_at: postedAt })
    .onConflict((oc) => oc.column('report_id').doNothing()).execute();
}

/**
 * Folds pending document-frequency increments into dedupe_df (and the document count), in one
 * commit per batch; safe on every instance at once (the rows are taken and deleted in that commit).
 * Returns how many reports were folded.
 */
export async function foldDocFreq(db: Kysely<DB>, batch = 64): Promise<number> {
  return write(db, async (tx) => {
    const rows = await tx.selectFrom('dedupe_df_pending').select(['report_id', 'features'])
      .orderBy('created_at').limit(batch).execute();
    if (rows.length === 0) return 0;
    const counts = new Map<string, number>();
    for (const r of rows) for (const f of JSON.parse(r.features) as string[]) counts.set(f, (counts.get(f) ?? 0) + 1);
    const entries = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const part of chunks(entries)) {
      await sql`insert into dedupe_df (feature, n) values ${sql.join(part.map(([f, n]) => sql`(${f}, ${n})`))}
        on conflict (feature) do update set n = dedupe_df.n + excluded.n`.execute(tx);
    }
    for (const part of chunks(rows.map((r) => r.report_id))) {
      await tx.deleteFrom('dedupe_df_pending').where('report_id', 'in', part).execute();
    }
    await tx.insertInto('counters').values({ name: DOCS, last: rows.length })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ last: eb('counters.last', '+', rows.length) }))).execute();
    return rows.length;
  });
}

/** Folds a batch soon after intake commits, coalescing: at most one fold waits at a time per database. */
export function scheduleFold(db: Kysely<DB>): void {
  if (folding.has(db)) return;
  folding.add(db);
  setTimeout(() => {
    void (async () => {
      try {
        // One small batch per scheduling: a long fold would hold up the intakes queued behind it.
        // Later commits schedule the next batch; the minute job folds whatever is left.
        await foldDocFreq(db);
      } catch {
        // left for the next fold or the scheduled job
      } finally {
        folding.delete(db);
      }
    })();
  }, 0);
}
const folding = new WeakSet<Kysely<DB>>();
