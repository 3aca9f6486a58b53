// The deadline sweep at scale: one pass over 1 million open assignments of which ~1% are due, next
// to one over 10 thousand, and a pass over the same million with only 100 due (the fair ratio: the
// same work, 100× the store). A sweep should grow with what is due, not with what is stored.
//
// The stores are generated through the store's public bulk load (src/db/stores/bulkLoad.ts: the
// project's migrations, then large kysely batches; a synthetic history without audit chain), then `sweep(deps, now)` is timed through the app's
// own dependencies (file mailer in a temp dir; nothing is delivered, only the sweep is timed).
//
// Every assignment was assigned on Monday 2 March 2026 at 10:00 (Asia/Shanghai) with 签收 due on
// Tuesday 3 March; the due ones get their 超期 reminder (a reminders row, an outbox row, an event).
// Due rows carry next_reminder_at in "layers" an hour apart during the night of 3→4 March, so
// successive sweeps (before the 08:30 digest time) each find exactly one layer: a warm-up layer,
// five timed layers of 100, and on the big store one layer of 10,000. The others are due later.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type {
  CompiledQuery, Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow,
} from 'kysely';
import type { DB } from '../src/db/schema/index.ts';
import { bulkLoad, type SyntheticAssignment, type SyntheticHistory, type SyntheticLead } from '../src/db/stores/bulkLoad.ts';
import { sweep } from '../src/app/sweep.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { connect } from '../src/runtime/database.ts';
import { silentLogger } from '../src/runtime/log.ts';
import { buildDeps, prepareDatabase } from '../src/runtime/services.ts';

const AGENCIES = ['market', 'urban', 'transport', 'traffic-police', 'public-security', 'ecology', 'health', 'emergency',
  'housing', 'natural-resources', 'water', 'forestry', 'education', 'civil-affairs', 'medical-insurance', 'culture',
  'agriculture', 'hrss', 'fire', 'tax'];

/** Due layers: next_reminder_at 00:00, 01:00, … local on 4 March; a sweep at :30 finds one layer. */
const layerAt = (k: number) => new Date(Date.UTC(2026, 2, 3, 16 + k, 0, 0)).toISOString();
const sweepAt = (k: number) => new Date(Date.UTC(2026, 2, 3, 16 + k, 30, 0)).toISOString();
/** 09:00 and 09:05 local on Wednesday 4 March: after the digest time on a working day. */
const DIGEST_FIRST = '2026-03-04T01:00:00.000Z';
const DIGEST_NEXT = '2026-03-04T01:05:00.000Z';

interface Store { file: string; stored: number; layers: number[] }

/** Writes `stored` leads with one open assignment each; layers[k] of them due at layerAt(k). */
async function buildStore(dir: string, name: string, stored: number, layers: number[]): Promise<Store & { buildMs: number }> {
  const t0 = performance.now();
  const file = join(dir, `${name}.db`);
  const config = loadConfig({ DATABASE_URL: file, XIANSUO_MAIL_DIR: join(dir, 'mail'), XIANSUO_AUTO_DISPATCH: 'off' });
  const prepared = connect(file);
  await prepareDatabase(prepared, config, { now: () => new Date('2026-03-01T00:00:00Z') });
  await prepared.close();

  // Which row is due in which layer: spread evenly over the id order, layers interleaved.
  const due = layers.reduce((a, b) => a + b, 0);
  const layerOf = new Map<number, number>();
  const order: number[] = [];
  layers.forEach((n, k) => { for (let j = 0; j < n; j++) order.push(k); });
  let seed = 42; // deterministic shuffle
  for (let i = order.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.forEach((k, n) => layerOf.set(Math.floor((n * stored) / due), k));

  const detail = { anchors: { ack: { from: '2026-03-02T02:00:00.000Z', workingDays: 1 }, due: { from: '2026-03-02T02:00:00.000Z', workingDays: 15 } } };
  const later = { anchors: { ack: { from: '2026-03-03T02:00:00.000Z', workingDays: 1 }, due: { from: '2026-03-03T02:00:00.000Z', workingDays: 15 } } };
  const BATCH = 50_000;
  const chunk = (from: number, to: number): SyntheticHistory => {
    const h = { leads: [] as SyntheticLead[], assignments: [] as SyntheticAssignment[] };
    for (let i = from; i < to; i++) {
      const id = String(i).padStart(7, '0');
      const agency = AGENCIES[i % AGENCIES.length]!;
      const k = layerOf.get(i);
      // Due: assigned Mon 2 March 10:00, 签收 due Tue 3 March. Not due: assigned a day later,
      // so its first reminder (超期) is 00:00 on Thursday 5 March, after every sweep timed here.
      const assignedAt = k === undefined ? '2026-03-03T02:00:00.000Z' : '2026-03-02T02:00:00.000Z';
      h.leads.push({
        id: `XS-2026-${id}`, status: 'assigned', title: `第 ${i} 号：摊贩三轮车被暂扣未开清单`, content: `市民反映执法人员暂扣三轮车未开具清单，编号 ${i}。`,
        address: `冷水滩区梅湾街道 ${i % 500} 号`, township: '梅湾街道', subject: '城管', category: '城市管理', routingAgency: agency,
        channels: ['hotline'], createdAt: assignedAt,
      });
      h.assignments.push({
        id: `as_${id}`, leadId: `XS-2026-${id}`, agency, status: 'assigned', assignedAt,
        ackDueAt: k === undefined ? '2026-03-04T15:59:59.000Z' : '2026-03-03T15:59:59.000Z',
        dueAt: k === undefined ? '2026-03-24T15:59:59.000Z' : '2026-03-23T15:59:59.000Z',
        ackBasis: 'workingDays', dueBasis: 'workingDays', detail: k === undefined ? later : detail,
        nextReminderAt: k === undefined ? '2026-03-04T16:00:00.000Z' : layerAt(k),
      });
    }
    return h;
  };
  const database = connect(file);
  try {
    for (let i = 0; i < stored; i += BATCH) await bulkLoad(database.db, chunk(i, Math.min(stored, i + BATCH)));
  } finally {
    await database.close();
  }
  return { file, stored, layers, buildMs: performance.now() - t0 };
}

/** A Kysely plugin keeping the compiled SQL of selects on assignments ranging over next_reminder_at. */
function captureDueQuery(db: Kysely<DB>, into: CompiledQuery[]): KyselyPlugin {
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const q = db.getExecutor().compileQuery(args.node, args.queryId);
      if (/^select .* from "assignments" where .*"next_reminder_at" <= \?/i.test(q.sql)) into.push(q);
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
}

async function open(store: Store, dir: string) {
  const config = loadConfig({ DATABASE_URL: store.file, XIANSUO_MAIL_DIR: join(dir, 'mail'), XIANSUO_AUTO_DISPATCH: 'off' });
  const database = connect(store.file);
  const now = { t: new Date(sweepAt(0)) };
  const captured: CompiledQuery[] = [];
  const deps = await buildDeps(database, config, { now: () => now.t }, silentLogger);
  return {
    database,
    /**
     * One timed sweep at `at`; checks it found `expect` assignments and made a reminder for each.
     * `capture` (for the untimed warm-up) keeps the SQL of the sweep's page query for plan().
     */
    async sweep(at: string, expect: number, capture = false) {
      now.t = new Date(at);
      const d = capture ? { ...deps, db: deps.db.withPlugin(captureDueQuery(deps.db, captured)) } : deps;
      const t0 = performance.now();
      const r = await sweep(d, now.t);
      const ms = performance.now() - t0;
      if (r.assignments !== expect || r.reminders !== expect) {
        throw new Error(`sweep at ${at}: expected ${expect} due, got ${JSON.stringify(r)}`);
      }
      return ms;
    },
    /** The sweep's page query (as captured in the warm-up) and how SQLite runs it. */
    plan(): string {
      const q = captured[0];
      if (!q) return '(no query captured)';
      const raw = new SQLite(store.file, { readonly: true });
      try {
        const rows = raw.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[];
        return `${q.sql.replace(/"/g, '')} → ${rows.map((r) => r.detail).join('; ')}`;
      } finally {
        raw.close();
      }
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

export async function benchSweep(opts: { stored?: number; small?: number } = {}): Promise<string[]> {
  const big = opts.stored ?? 1_000_000;
  const small = opts.small ?? 10_000;
  const bigDue = big / 100;
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-sweep-'));
  const lines: string[] = [];
  try {
    // Layers: 0 warm-up (100), 1–5 timed (100 each); the big store adds layer 6 (1% of it).
    const s = await buildStore(dir, 'small', small, [100, 100, 100, 100, 100, 100]);
    const b = await buildStore(dir, 'big', big, [100, 100, 100, 100, 100, 100, bigDue]);
    lines.push(`stores generated: ${small.toLocaleString('en')} assignments in ${f(s.buildMs)} ms, ${big.toLocaleString('en')} in ${(b.buildMs / 1000).toFixed(1)} s`);

    const S = await open(s, dir);
    const B = await open(b, dir);

    await S.sweep(sweepAt(0), 100); // warm-up: JIT, statement cache, page cache
    await B.sweep(sweepAt(0), 100, true);
    const a: number[] = [];
    const c: number[] = [];
    for (const k of [1, 2, 3, 4, 5]) {
      a.push(await S.sweep(sweepAt(k), 100));
      c.push(await B.sweep(sweepAt(k), 100));
    }
    const bigMs = await B.sweep(sweepAt(6), bigDue);
    lines.push(`the sweep's page query on SQLite (no ANALYZE): ${B.plan()}`);
    const A = median(a);
    const C = median(c);

    // After 08:30 on a working day, nothing due, today's digests already queued (recorded in
    // job_runs as if another instance had sent them, so no 50,000-item digest is rendered here):
    // the first sweep after 08:30 and the one 5 minutes later. Time spent is the digest pass.
    const first: number[] = [];
    const next: number[] = [];
    for (const X of [S, B]) {
      await bulkLoad(X.database.db, { jobRuns: AGENCIES.map((code) => ({ key: `digest:${code}:2026-03-04`, at: DIGEST_FIRST })) });
      first.push(await X.sweep(DIGEST_FIRST, 0));
      next.push(await X.sweep(DIGEST_NEXT, 0));
    }
    await S.database.close();
    await B.database.close();

    const k = (n: number) => n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
    lines.push(`A  ${k(small)} stored, 100 due:  ${f(A)} ms per sweep (median of 5) = ${(A / 100).toFixed(2)} ms per due assignment`);
    lines.push(`C  ${k(big)} stored, 100 due:  ${f(C)} ms per sweep (median of 5) = ${(C / 100).toFixed(2)} ms per due assignment`);
    lines.push(`B  ${k(big)} stored, ${k(bigDue)} due: ${f(bigMs)} ms per sweep = ${(bigMs / bigDue).toFixed(2)} ms per due assignment`);
    lines.push(`B/A total time: ${(bigMs / A).toFixed(1)}× for ${bigDue / 100}× the due and ${big / small}× the store (≈${bigDue / 100} if it grows with what is due)`);
    lines.push(`C/A, same 100 due, ${big / small}× the store: ${(C / A).toFixed(2)}× (≈1 if the store does not matter)`);
    lines.push(`B/A per due assignment: ${((bigMs / bigDue) / (A / 100)).toFixed(2)}×`);
    lines.push(`D  nothing due, after 08:30 on a working day, today's digests already queued: first sweep ` +
      `${k(small)} stored ${f(first[0]!)} ms, ${k(big)} stored ${f(first[1]!)} ms; the sweep 5 minutes later ` +
      `${k(small)} ${f(next[0]!)} ms, ${k(big)} ${f(next[1]!)} ms (` +
      `${next[1]! > first[1]! / 2 ? 'every sweep after 08:30 reads every open assignment again for the digests' : 'the digest pass is skipped once the day is done'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
