// The de-duplication index (src/domain/dedupe/port.ts) over SQL rows: each report's fingerprint
// row (its weighted features, keys and the features it is posted under) and its document-frequency
// log row, both written in the intake commit. Look-ups read memory that every instance rebuilds
// from those rows: the posting window (postings.ts) and the document-frequency sketch
// (docFreq.ts); only the fingerprints of the few leads found are read from the database.
import type { Kysely } from 'kysely';
import type {
  DedupeIndex, IndexWrite, LeadFingerprint, ReportFingerprint, ScoringFingerprint,
} from '../../domain/dedupe/index.ts';
import { MAX_REPORTS_PER_LEAD, packFingerprint } from '../../domain/dedupe/index.ts';
import type { IndexRows } from '../../domain/intake.ts';
import type { DB } from '../schema/index.ts';
import { reusable } from '../reusable.ts';
import { nextCounter } from '../commit.ts';
import type { Tx } from '../tx.ts';
import { docFreqOf, logDocument } from './docFreq.ts';
import { postingsOf } from './postings.ts';

const CHUNK = 400;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Parsed fingerprints, packed, by report id: they never change once written, and parsing dominates
 * scoring. Two generations instead of a strict LRU order (a look-up reads up to 80 entries, and moving
 * each to the back of one map cost more than the rest of fetching them): new and used entries go to
 * the young map; when it is full, it becomes the old one and the old one is dropped. Holds between
 * max/2 and max entries, the recently used among them.
 */
class FingerprintCache {
  private young = new Map<string, ScoringFingerprint>();
  private old = new Map<string, ScoringFingerprint>();
  constructor(private readonly max: number) {}
  get(id: string): ScoringFingerprint | undefined {
    const v = this.young.get(id);
    if (v) return v;
    const o = this.old.get(id);
    if (o) this.set(id, o);
    return o;
  }
  set(id: string, v: ScoringFingerprint): void {
    if (this.young.size >= this.max / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, v);
  }
}

/** What the intake commit stored of a report that de-duplication indexed. */
export interface StoredReport {
  reportId: string;
  leadId: string;
  /** The seq of its fingerprint and document-frequency log rows. */
  seq: number;
}

export interface SqlDedupeIndex extends DedupeIndex {
  /**
   * From now on, the reports this instance commits are handed over (`stored`) instead of read
   * back; the tables are read when `markStale` says another writer has committed (changes.ts).
   */
  fedLocally(): void;
  markStale(): void;
  stored(write: PendingWrite, row: StoredReport): void;
}

/**
 * A look-up's write as `stored` needs it, packed: a worker holds it from the look-up until the
 * commit is reported (a hundred milliseconds or so under load), long enough for the collector to
 * move it to the old generation; flat arrays and one string cost it little, a fingerprint of a
 * few hundred small objects a lot.
 */
export interface PendingWrite {
  fingerprint: ScoringFingerprint;
  /** The posted features, one per line (IndexRows.postings). */
  postings: string;
  docHashes: Uint32Array;
}

export function pendingWrite(write: IndexWrite, rows: IndexRows): PendingWrite {
  return { fingerprint: packFingerprint(write.fingerprint), postings: rows.postings, docHashes: write.docHashes };
}

export function sqlDedupeIndex(db: Kysely<DB>): SqlDedupeIndex {
  const cache = new FingerprintCache(20_000);
  const freq = docFreqOf(db);
  const postings = postingsOf(db);
  return {
    fedLocally() {
      freq.fedLocally();
      postings.fedLocally();
    },
    markStale() {
      freq.markStale();
      postings.markStale();
    },
    stored(write, { reportId, leadId, seq }) {
      cache.set(reportId, write.fingerprint);
      postings.applyLocal({ seq, reportId, leadId, at: write.fingerprint.reportedAt, features: write.postings ? write.postings.split('\n') : [] });
      freq.applyLocal(seq, write.docHashes);
    },
    async totalDocs() {
      return (await freq.current()).docs;
    },
    async docFreq(hashes) {
      return (await freq.current()).countHashes(hashes);
    },
    async candidates(features, since, limit) {
      return (await postings.current(since)).candidates(features, since, limit);
    },
    async fingerprints(leadIds, since) {
      // Which reports: the posting window knows each lead's recent ones. Then the data of those not cached.
      const window = await postings.current(since, { catchUp: false });
      const wanted = [...new Set(leadIds)].map((leadId) => ({ leadId, ids: window.reportsOf(leadId, since, MAX_REPORTS_PER_LEAD) }));
      const missing = wanted.flatMap((w) => w.ids).filter((id) => !cache.get(id));
      for (const part of chunks(missing)) {
        const rows = await db.selectFrom('dedupe_fingerprint').select(['report_id', 'data']).where('report_id', 'in', part).execute();
        for (const r of rows) cache.set(r.report_id, packFingerprint(JSON.parse(r.data) as ReportFingerprint));
      }
      return wanted.filter((w) => w.ids.length > 0).map(({ leadId, ids }): LeadFingerprint => ({
        leadId, reports: ids.map((id) => cache.get(id)).filter((f): f is ScoringFingerprint => Boolean(f)),
      }));
    },
  };
}

export type { IndexRows } from '../../domain/intake.ts';

export function indexRows(w: IndexWrite): IndexRows {
  return {
    postedAt: w.fingerprint.reportedAt, fingerprint: JSON.stringify(w.fingerprint),
    postings: w.postings.map((p) => p.feature).join('\n'), docHashes: w.docHashes,
  };
}

/**
 * Writes a report's fingerprint row (with its postings) and document-frequency log row, in the
 * intake commit. Returns their seq.
 */
export async function writeIndex(tx: Tx, leadId: string, reportId: string, rows: IndexRows): Promise<number> {
  // One seq for the report's fingerprint row and its document-frequency log row: instances follow both.
  const seq = await nextCounter(tx, 'dedupe-log');
  await insertFingerprint(tx, reportId, leadId, rows.postedAt, rows.fingerprint, seq, rows.postings);
  // Document frequencies: every instance's sketch counts the log row before its next look-up
  // (docFreq.ts). Upserting ~500 rows of exact counts in every intake commit wrote megabytes of
  // pages per report.
  await logDocument(tx, seq, reportId, rows.docHashes, rows.postedAt);
  return seq;
}

const insertFingerprint = reusable(6, (tx: Tx, reportId: string, leadId: string, at: string, data: string, seq: number, postings: string) =>
  tx.insertInto('dedupe_fingerprint').values({ report_id: reportId, lead_id: leadId, reported_at: at, data, seq, postings })
    .onConflict((oc) => oc.column('report_id').doNothing()));
