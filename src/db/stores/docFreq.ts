// Document frequencies for de-duplication: a count-min sketch (src/domain/dedupe/sketch.ts) held
// in memory, one per database handle, so that weighing a report reads no rows at all.
//
// Stored as a snapshot (dedupe_sketch, in PARTS blobs; the counters 'dedupe-docs' and
// 'dedupe-sketch-seq' say how many documents and which log rows it holds) plus a log
// (dedupe_df_log: one row per report, written in its intake commit, with the 32-bit hashes of its
// distinct features). Every instance loads the snapshot, then applies the log rows after it, and
// before a look-up applies the rows written since, when something was committed (the change probe of src/db/commit.ts);
// a de-duplication worker is handed its own instance's rows instead (applyLocal). Compaction
// folds the log into a new snapshot and deletes the folded rows in one commit; an instance that
// sees the snapshot move loads it again. Reads need no transaction: after applying rows, the
// snapshot's seq is read, and a change means "load again".
import type { Kysely } from 'kysely';
import { CountMinSketch, DEFAULT_SKETCH_BITS, SKETCH_DEPTH } from '../../domain/dedupe/sketch.ts';
import { changeGate } from '../commit.ts';
import type { DB } from '../schema/index.ts';
import { reusable } from '../reusable.ts';
import { PlanConflict, type Plan, type Write } from '../../domain/plan.ts';
import { commitPlan } from '../commit.ts';
import type { Tx } from '../tx.ts';

/** The snapshot is stored in this many blobs (256 KiB each at the default size). */
const PARTS = 64;
const DOCS = 'dedupe-docs';
const SNAPSHOT_SEQ = 'dedupe-sketch-seq';
/** Compaction runs once the log holds this many reports (start-up replays at most about this many). */
export const COMPACT_AT = 5_000;
const PAGE = 2_000;
/** Log rows deleted per statement of the compaction's plan (D1 binds at most 100 values a statement). */
const DELETE_CHUNK = 90;

type Reader = Kysely<DB> | Tx;

async function counters(db: Reader, names: string[]): Promise<Map<string, number>> {
  const rows = await db.selectFrom('counters').select(['name', 'last']).where('name', 'in', names).execute();
  return new Map(rows.map((r) => [r.name, Number(r.last)]));
}

async function snapshotSeq(db: Reader): Promise<number> {
  return (await counters(db, [SNAPSHOT_SEQ])).get(SNAPSHOT_SEQ) ?? 0;
}

function hashesOf(bytes: Uint8Array): Uint32Array {
  // Copied: a driver's buffer may be a view at an odd offset of a larger one.
  return new Uint32Array(Uint8Array.from(bytes).buffer);
}

interface State {
  sketch: CountMinSketch;
  /** The snapshot this state started from. */
  snapshotSeq: number;
  /** The last log row applied. */
  seq: number;
}

export class DocFreq {
  private state: State | undefined;
  private refreshing: Promise<State> | undefined;
  private readonly gate;

  constructor(private readonly db: Kysely<DB>, private readonly bits = DEFAULT_SKETCH_BITS) {
    this.gate = changeGate(db);
  }

  /** The sketch with every committed report counted (coalesces concurrent callers). */
  current(): Promise<CountMinSketch> {
    return this.refresh().then((s) => s.sketch);
  }

  private refresh(): Promise<State> {
    this.refreshing ??= this.catchUp().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async catchUp(): Promise<State> {
    const change = this.gate.check();
    if (!change && this.state) return this.state;
    for (let attempt = 0; attempt < 5; attempt++) {
      const state = this.state ?? await this.load(await snapshotSeq(this.db));
      await this.applyLog(state, state.snapshotSeq);
      // Still the snapshot this state grew from: no compaction deleted rows it has not applied.
      // Otherwise load the new snapshot.
      if ((await snapshotSeq(this.db)) === state.snapshotSeq) {
        this.gate.saw(change?.version);
        return (this.state = state);
      }
      this.state = undefined;
    }
    throw new Error('document frequencies: the snapshot kept moving while it was read');
  }

  /** From now on the rows this instance commits are handed over (applyLocal); see the change gate in src/db/commit.ts. */
  fedLocally(): void {
    this.gate.fedLocally();
  }

  /** Another writer has committed: the next look reads the tables. */
  markStale(): void {
    this.gate.markStale();
  }

  /** A log row this instance has just committed, as its writer hands it over. */
  applyLocal(seq: number, hashes: Uint32Array): void {
    const state = this.state;
    if (state && seq <= state.seq) return;
    // Not loaded yet, or a gap (another writer's rows come first): the tables tell.
    if (!state || seq !== state.seq + 1) {
      this.gate.markStale();
      return;
    }
    state.sketch.addHashes(hashes);
    state.seq = seq;
  }

  private async load(seq: number): Promise<State> {
    const parts = await this.db.selectFrom('dedupe_sketch').select(['part', 'data']).orderBy('part').execute();
    const docs = (await counters(this.db, [DOCS])).get(DOCS) ?? 0;
    if (parts.length > 0) {
      const bytes = parts.reduce((n, p) => n + p.data.length, 0);
      const bits = Math.log2(bytes / 4 / SKETCH_DEPTH);
      const sketch = CountMinSketch.fromParts(bits, parts.map((p) => p.data), docs);
      return { sketch, snapshotSeq: seq, seq };
    }
    const sketch = new CountMinSketch(this.bits);
    sketch.docs = docs;
    return { sketch, snapshotSeq: seq, seq };
  }

  private async applyLog(state: State, snapshot: number): Promise<void> {
    if (state.seq < snapshot) state.seq = snapshot;
    for (;;) {
      const rows = await this.db.selectFrom('dedupe_df_log').select(['seq', 'hashes'])
        .where('seq', '>', state.seq).orderBy('seq').limit(PAGE).execute();
      for (const r of rows) {
        // Handed over meanwhile (applyLocal)?
        if (Number(r.seq) <= state.seq) continue;
        state.sketch.addHashes(hashesOf(r.hashes));
        state.seq = Number(r.seq);
      }
      if (rows.length < PAGE) return;
    }
  }

  /**
   * Folds the log into a new snapshot if it holds at least `minRows` reports: one commit writes the snapshot and deletes the rows it holds.
   * Returns how many log rows were folded; 0 when another instance compacted first.
   */
  async compact(writer: Kysely<DB>, minRows = COMPACT_AT): Promise<number> {
    const state = await this.refresh();
    const logged = await this.db.selectFrom('dedupe_df_log').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seq', '<=', state.seq).executeTakeFirstOrThrow();
    const rows = Number(logged.n);
    if (rows < minRows) return 0;
    // A copy taken at one instant: the live sketch goes on counting while the snapshot is written.
    const counters = new CountMinSketch(state.sketch.bits, state.sketch.counters.slice());
    const { seq } = state;
    const docs = state.sketch.docs;
    // One plan: the snapshot, the folded rows deleted (by seq, in lists short enough for any
    // backend), the counters; guarded by the snapshot still being the one this state grew from.
    const seqs = (await this.db.selectFrom('dedupe_df_log').select('seq').where('seq', '<=', seq).orderBy('seq').execute()).map((r) => Number(r.seq));
    const parts = counters.toParts(PARTS);
    const writes: Write[] = parts.map((bytes, part) => ({
      kind: 'insert', table: 'dedupe_sketch', row: { part, data: Buffer.from(bytes) }, onConflict: { columns: ['part'], update: ['data'] },
    }));
    for (let i = 0; i < seqs.length; i += DELETE_CHUNK) {
      writes.push({ kind: 'delete', table: 'dedupe_df_log', where: { seq: { in: seqs.slice(i, i + DELETE_CHUNK) } } });
    }
    for (const [name, last] of [[DOCS, docs], [SNAPSHOT_SEQ, seq]] as const) {
      writes.push({ kind: 'insert', table: 'counters', row: { name, last }, onConflict: { columns: ['name'], update: ['last'] } });
    }
    const plan: Plan = {
      guards: [state.snapshotSeq === 0
        ? { kind: 'absent', table: 'counters', where: { name: SNAPSHOT_SEQ }, reason: '文档频率快照已由他处更新' }
        : { kind: 'exists', table: 'counters', where: { name: SNAPSHOT_SEQ, last: state.snapshotSeq }, reason: '文档频率快照已由他处更新' }],
      writes, events: [], counters: [],
    };
    const done = await commitPlan(writer, plan, () => {
      // This instance's sketch already holds everything the snapshot holds: no need to reload it.
      if (this.state === state) state.snapshotSeq = seq;
    }).then(() => true, (err: unknown) => {
      if (err instanceof PlanConflict) return false;
      throw err;
    });
    return done ? rows : 0;
  }
}

/**
 * Logs a report's distinct features in its intake commit (counted once the commit is read back).
 * `seq` comes from the counter 'dedupe-log', taken in the same commit.
 */
export async function logDocument(tx: Tx, seq: number, reportId: string, hashes: Uint32Array, at: string): Promise<void> {
  await insertLogRow(tx, seq, reportId, Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength), at);
}

const insertLogRow = reusable(4, (tx: Tx, seq: number, reportId: string, hashes: Buffer, at: string) =>
  tx.insertInto('dedupe_df_log').values({ seq, report_id: reportId, hashes, created_at: at }));

const instances = new WeakMap<Kysely<DB>, DocFreq>();

/** The document frequencies read through `reader` (one sketch per handle). */
export function docFreqOf(reader: Kysely<DB>): DocFreq {
  let d = instances.get(reader);
  if (!d) instances.set(reader, (d = new DocFreq(reader)));
  return d;
}
