// The de-duplication index (src/domain/dedupe/port.ts) over SQL rows: each report's fingerprint
// row (its weighted features, keys and the features it is posted under) and its document-frequency
// log row, both written in the intake commit. Look-ups read memory that every instance rebuilds
// from those rows: the posting window (below) and the document-frequency sketch (docFreq.ts);
// only the fingerprints of the few leads found are read from the database. The de-duplication
// look-up of a report (`lookUp`) is the domain's `dedupe` over this index.
//
// It is also the intake's de-duplication port (`dedupeLookUp`, wired into AppDeps.dedupe by
// src/runtime/services.ts), which by default runs the look-up in a worker thread: normalising,
// weighing and scoring a report take about as much CPU as all the rest of intake; on a machine
// with a second core they run there, while the request thread parses, routes and commits. Both
// sides of that thread are here (threadedDedupe, runDedupeWorker); the runtime starts the worker
// (src/runtime/dedupeThread.ts, dedupeWorker.mjs), which reads through a connection of its own.
// When the worker fails (it cannot read the database, or it died), the report is de-duplicated in
// the request thread instead (the same code on the same rows), the failure is reported, and a dead
// worker is started anew for the next report. After the intake commit, the request thread hands
// each stored report back (`stored`), so the worker adds it to its index without reading it back;
// with each look-up it says whether another writer (another instance) has committed since the
// previous one, and only then does the worker read the tables.
import type { Kysely } from 'kysely';
import type {
  DedupeConfig, DedupeIndex, DedupeResult, IndexWrite, LeadFingerprint, ReportFingerprint, ReportText, ScoringFingerprint,
} from '../../domain/dedupe/index.ts';
import { dedupe, MAX_REPORTS_PER_LEAD, packFingerprint, reportTextOf } from '../../domain/dedupe/index.ts';
import { PostingWindow } from '../../domain/dedupe/postingWindow.ts';
import type { DedupeOutcome, IndexRows } from '../../domain/intake.ts';
import type { LeadDraft } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';
import { reusable } from '../reusable.ts';
import { changeGate, nextCounter } from '../commit.ts';
import type { Tx } from '../tx.ts';
import { docFreqOf, logDocument } from './docFreq.ts';

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
   * back; the tables are read when `markStale` says another writer has committed (src/domain/dedupe/changeGate.ts).
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

/** The look-up of a report in this thread: the decision and the index rows the intake commit writes. */
export async function lookUp(index: DedupeIndex, draft: LeadDraft, config: DedupeConfig): Promise<DedupeOutcome> {
  const { decision, write } = await dedupe(index, reportTextOf(draft), config);
  return { decision, indexWrite: indexRows(write) };
}

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

// ---------------------------------------------------------------------------------------------
// The posting window (src/domain/dedupe/postingWindow.ts) of one database handle: built from the
// fingerprint rows posted inside the asked window, then kept up to date from the rows committed
// since, which carry an increasing seq: read back when something was committed (the change gate, src/domain/dedupe/changeGate.ts), or,
// in a de-duplication worker, handed over for its own instance (applyLocal). Nothing is written for it
// but the report's own fingerprint row: posting 40 rows per report into a shared index had
// written as many scattered pages in every intake commit.
const PAGE = 2_000;
const DAY = 86_400_000;

function lines(text: string | null): string[] {
  return text ? text.split('\n') : [];
}

export class Postings {
  private readonly window = new PostingWindow();
  /** Everything posted at or after this time is held (null until the first load). */
  private loadedSince: string | null = null;
  private seq = 0;
  private catchingUp: Promise<void> | undefined;
  private loading: Promise<void> | undefined;
  private lastPrune = '';
  private readonly gate;

  constructor(private readonly db: Kysely<DB>) {
    this.gate = changeGate(db);
  }

  /**
   * The window holding every committed report posted at or after `since`. `catchUp: false` skips
   * reading what was committed since the last call (a second look within one look-up).
   */
  async current(since: string, opts: { catchUp?: boolean } = {}): Promise<PostingWindow> {
    while (this.loadedSince === null || since < this.loadedSince) await this.load(since);
    if (opts.catchUp !== false) await this.catchUp();
    this.pruneBefore(since);
    return this.window;
  }

  private load(since: string): Promise<void> {
    this.loading ??= (async () => {
      const to = this.loadedSince;
      if (to === null) {
        // The seq first: rows committed after it are read again by catchUp, and adding is idempotent.
        const top = await this.db.selectFrom('dedupe_fingerprint').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
        this.seq = Number(top?.seq ?? 0);
      }
      let query = this.db.selectFrom('dedupe_fingerprint').select(['report_id', 'lead_id', 'reported_at', 'postings'])
        .where('reported_at', '>=', since);
      if (to !== null) query = query.where('reported_at', '<', to);
      for (const r of await query.execute()) this.window.add(r.report_id, r.lead_id, r.reported_at, lines(r.postings));
      if (this.loadedSince === null || since < this.loadedSince) this.loadedSince = since;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Applies the rows committed since the last look (coalesces concurrent callers). */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      const change = this.gate.check();
      if (!change) return;
      for (;;) {
        const rows = await this.db.selectFrom('dedupe_fingerprint')
          .select(['seq', 'report_id', 'lead_id', 'reported_at', 'postings'])
          .where('seq', '>', this.seq).orderBy('seq').limit(PAGE).execute();
        for (const r of rows) {
          // Handed over meanwhile (applyLocal)?
          if (Number(r.seq) <= this.seq) continue;
          if (this.loadedSince !== null && r.reported_at >= this.loadedSince) {
            this.window.add(r.report_id, r.lead_id, r.reported_at, lines(r.postings));
          }
          this.seq = Number(r.seq);
        }
        if (rows.length < PAGE) break;
      }
      this.gate.saw(change.version);
    })().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  /** From now on the rows this instance commits are handed over (applyLocal); see src/domain/dedupe/changeGate.ts. */
  fedLocally(): void {
    this.gate.fedLocally();
  }

  /** Another writer has committed: the next look reads the tables. */
  markStale(): void {
    this.gate.markStale();
  }

  /** A row this instance has just committed, as its writer hands it over. */
  applyLocal(row: { seq: number; reportId: string; leadId: string; at: string; features: string[] }): void {
    if (row.seq <= this.seq) return;
    // Not loaded yet, or a gap (another writer's rows come first): the tables tell.
    if (this.loadedSince === null || row.seq !== this.seq + 1) {
      this.gate.markStale();
      return;
    }
    if (row.at >= this.loadedSince) this.window.add(row.reportId, row.leadId, row.at, row.features);
    this.seq = row.seq;
  }

  /** Drops what is older than a day before the window asked for, at most once a day. */
  private pruneBefore(since: string): void {
    const cut = new Date(Date.parse(since) - DAY).toISOString();
    if (this.loadedSince === null || cut <= this.loadedSince || cut.slice(0, 10) === this.lastPrune) return;
    this.lastPrune = cut.slice(0, 10);
    this.window.prune(cut);
    this.loadedSince = cut;
  }

  size(): ReturnType<PostingWindow['size']> {
    return this.window.size();
  }
}

const instances = new WeakMap<Kysely<DB>, Postings>();

/** The posting window read through `reader` (one per handle). */
export function postingsOf(reader: Kysely<DB>): Postings {
  let p = instances.get(reader);
  if (!p) instances.set(reader, (p = new Postings(reader)));
  return p;
}

// ---------------------------------------------------------------------------------------------
// The port, and the worker thread

/**
 * The intake's de-duplication (AppDeps.dedupe, .indexed): in the worker thread when there is one,
 * else in this thread over `index`.
 */
export function dedupeLookUp(index: DedupeIndex, config: DedupeConfig, thread: DedupeThread | undefined): {
  dedupe(draft: LeadDraft, at: string): Promise<DedupeOutcome>;
  indexed(rows: IndexRows, row: StoredReport): void;
} {
  return {
    dedupe: async (draft) => {
      if (!thread) return lookUp(index, draft, config);
      const { decision, rows } = await thread.dedupe(reportTextOf(draft));
      return { decision, indexWrite: rows };
    },
    indexed: (rows, row) => thread?.stored(rows, row),
  };
}

/** Longer than any look-up takes, even at start (loading the index of a large store). */
const ANSWER_TIMEOUT_MS = 30_000;

export type Answer = { id: number; decision: DedupeResult['decision']; rows: IndexRows } | { id: number; error: string };

export interface ThreadAnswer {
  decision: DedupeResult['decision'];
  rows: IndexRows;
}

export interface DedupeThread {
  dedupe(report: ReportText): Promise<ThreadAnswer>;
  /** The intake commit stored the report these rows were made for (call after the commit). */
  stored(rows: IndexRows, row: StoredReport): void;
  /** Reports answered by the worker, and in the request thread after a failure. */
  stats(): { worker: number; local: number };
  close(): Promise<void>;
}

/** A worker thread as the request thread uses it (node:worker_threads' Worker; the runtime makes it). */
export interface DedupeWorker {
  postMessage(value: DedupeRequest): void;
  on(event: 'message', listener: (a: Answer) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  once(event: 'exit', listener: () => void): unknown;
  ref(): void;
  unref(): void;
  terminate(): unknown;
}

/**
 * The request thread's side: look-ups go to a worker started by `spawn` (on first use, and again
 * after one died), and to `local` in this thread when the worker fails.
 */
export function threadedDedupe(
  spawn: () => DedupeWorker,
  config: DedupeConfig,
  local: DedupeIndex,
  onError: (err: unknown) => void,
  /** Whether another writer has committed since the last call (true when it cannot tell). */
  othersCommitted: () => boolean,
): DedupeThread {
  let worker: DedupeWorker | undefined;
  let next = 0;
  let stored: Extract<DedupeRequest, { kind: 'stored' }>['reports'] = [];
  const counts = { worker: 0, local: 0 };
  const waiting = new Map<number, { resolve(a: Answer): void; reject(e: unknown): void }>();

  const fail = (w: DedupeWorker, err: unknown) => {
    if (worker !== w) return;
    worker = undefined;
    for (const p of waiting.values()) p.reject(err);
    waiting.clear();
    void w.terminate();
  };

  const start = (): DedupeWorker => {
    const w = spawn();
    w.unref();
    w.on('message', (a: Answer) => {
      const p = waiting.get(a.id);
      waiting.delete(a.id);
      p?.resolve(a);
    });
    w.on('error', (err) => fail(w, err));
    w.on('exit', (code) => fail(w, new Error(`de-duplication worker exited (${code})`)));
    return w;
  };

  return {
    async dedupe(report) {
      try {
        worker ??= start();
        const id = next++;
        const request: DedupeRequest = { kind: 'look-up', id, report, stale: othersCommitted() };
        const w = worker;
        const answer = await new Promise<Answer>((resolve, reject) => {
          // A worker that does not answer in time is taken for hung: stopped, and started anew.
          const timer = setTimeout(() => fail(w, new Error(`de-duplication worker gave no answer in ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
          timer.unref();
          waiting.set(id, {
            resolve: (a) => { clearTimeout(timer); resolve(a); },
            reject: (e) => { clearTimeout(timer); reject(e); },
          });
          w.postMessage(request);
        });
        if ('error' in answer) throw new Error(answer.error);
        counts.worker++;
        return { decision: answer.decision, rows: answer.rows };
      } catch (err) {
        onError(err);
        counts.local++;
        const { decision, write } = await dedupe(local, report, config);
        return { decision, rows: indexRows(write) };
      }
    },
    stored(rows, row) {
      if (rows.ticket === undefined) return; // made in this thread, whose index reads the tables
      // One message for all that a group commit stored.
      if (stored.length === 0) {
        queueMicrotask(() => {
          const reports = stored;
          stored = [];
          worker?.postMessage({ kind: 'stored', reports } satisfies DedupeRequest);
        });
      }
      stored.push({ ticket: rows.ticket, ...row });
    },
    stats: () => ({ ...counts }),
    async close() {
      const w = worker;
      worker = undefined;
      if (!w) return;
      await new Promise<void>((resolve) => {
        w.ref(); // until it has closed its connection
        w.once('exit', () => resolve());
        w.postMessage({ kind: 'close' } satisfies DedupeRequest);
        setTimeout(() => void w.terminate(), 2000).unref();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The worker thread: de-duplication's look-up and scoring, off the thread that serves requests.
// It reads the index through a connection of its own. What its own instance commits is handed
// back to it after each intake commit (the look-up's own result, with the ids and seq the commit
// gave it), so it reads the tables only for what other writers committed
// (src/domain/dedupe/changeGate.ts); it answers each report with the decision and the rows to write.

/** The worker's end of the channel (node:worker_threads' parentPort). */
export interface WorkerPort {
  on(event: 'message', listener: (req: DedupeRequest) => void): unknown;
  postMessage(value: unknown, transfer?: ArrayBuffer[]): void;
  close(): void;
}

export interface DedupeWorkerData {
  url: string;
  pgSchema?: string;
  config: DedupeConfig;
}

export type DedupeRequest =
  /** `stale`: another writer has committed since the previous request (read the tables first). */
  | { kind: 'look-up'; id: number; report: ReportText; stale: boolean }
  /** Look-ups whose rows were committed (a look-up never stored is forgotten after a while). */
  | { kind: 'stored'; reports: (StoredReport & { ticket: number })[] }
  | { kind: 'close' };

/**
 * Look-ups kept until their commit is reported. A look-up whose report is never stored (its
 * commit failed, or found it a redelivery) is dropped once this many newer ones wait; at most a
 * few hundred are in flight at once.
 */
const PENDING_MAX = 2_000;

/**
 * The worker's side (run by dedupeWorker.mjs in the worker thread): answers look-ups over `index`,
 * read through the worker's own `database`, and follows what its instance stores.
 */
export function runDedupeWorker(port: WorkerPort, database: { close(): Promise<void> }, index: SqlDedupeIndex, config: DedupeConfig): void {
  index.fedLocally();
  const pending = new Map<number, PendingWrite>();
  port.on('message', (req: DedupeRequest) => {
    switch (req.kind) {
      case 'close':
        void database.close().finally(() => port.close());
        return;
      case 'stored':
        for (const { ticket, ...row } of req.reports) {
          const write = pending.get(ticket);
          pending.delete(ticket);
          // Forgotten (or from before a restart): the tables will tell.
          if (write) index.stored(write, row);
          else index.markStale();
        }
        return;
      case 'look-up':
        if (req.stale) index.markStale();
        dedupe(index, req.report, config).then(
          ({ decision, write }) => {
            const made = indexRows(write);
            pending.set(req.id, pendingWrite(write, made));
            if (pending.size > PENDING_MAX) pending.delete(pending.keys().next().value!);
            // The request thread gets a copy of the hashes: this thread keeps them for `stored`.
            const rows = { ...made, docHashes: write.docHashes.slice(), ticket: req.id };
            port.postMessage({ id: req.id, decision, rows }, [rows.docHashes.buffer as ArrayBuffer]);
          },
          (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
        );
    }
  });
}
