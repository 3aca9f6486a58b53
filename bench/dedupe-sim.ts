// Evaluation driver for de-duplication: feeds the 4,326 TipDM messages in posting order through
// the domain code with the in-memory index and measures it against bench/dedupe-labels.json.
//
//   npx tsx bench/dedupe-sim.ts [--data DIR] [--window DAYS] [--high X] [--low X] [--scored N] [--candidates N]
//     [--lookup N] [--content N] [--sweep] [--verbose]     (SKETCH_BITS=N: document frequencies in a sketch of 2^N counters)
//
// The messages are read at run time from ../shared/data/tipdm2020/ and never copied.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { LeadDraft } from '../src/domain/types.ts';
import {
  DEFAULT_DEDUPE_CONFIG, dedupe, type DedupeConfig, type ScoreDetail,
} from '../src/domain/dedupe/decide.ts';
import { featureHashes, rawFeatures, weigh } from '../src/domain/dedupe/features.ts';
import { createMemoryIndex, type MemoryIndex } from '../src/domain/dedupe/memoryIndex.ts';

export interface Message { id: string; user: string; title: string; postedAt: string; content: string }
export interface Labels {
  clusters: { id: string; note: string; messages: string[] }[];
  distinct: [string, string, string][];
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
const dataDir = resolve(arg('data') ?? resolve(here, '../../shared/data/tipdm2020'));
const verbose = args.includes('--verbose');

export function loadMessages(): Message[] {
  const text = readFileSync(resolve(dataDir, 'messages.jsonl'), 'utf8');
  const messages = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Message);
  // Posting order; ties by id so that every run is the same.
  return messages.sort((a, b) => a.postedAt.localeCompare(b.postedAt) || a.id.localeCompare(b.id));
}

export function loadLabels(): Labels {
  return JSON.parse(readFileSync(resolve(here, 'dedupe-labels.json'), 'utf8')) as Labels;
}

export function toDraft(m: Message): LeadDraft {
  return {
    source: 'hotline', externalId: m.id, reportedAt: new Date(m.postedAt).toISOString(),
    title: m.title, content: m.content, priority: 'normal',
    reporter: { name: m.user, confidential: false }, evidence: [],
  };
}

interface RunResult {
  config: DedupeConfig;
  pairs: { all: Tally; small: Tally; half: [Tally, Tally] };
  repeats: { all: Tally; small: Tally; half: [Tally, Tally]; otherReporter: Tally; otherReporterSmall: Tally };
  leads: number;
  msPerReport: number[];
  merges: number;
  mergesIntoUnlabelled: number;
  listedPerNewLead: number;
  candidateRecall: Tally;
  wrongMerges: string[];
  unlabelledMerges: string[];
  missed: string[];
  distinctMerged: string[];
  gaps: number[];
  size: ReturnType<MemoryIndex['size']>;
}

export class Tally {
  hit = 0;
  n = 0;
  add(ok: boolean): void { this.n++; if (ok) this.hit++; }
  get rate(): number { return this.n ? this.hit / this.n : NaN; }
  toString(): string { return `${this.rate.toFixed(3)} (${this.hit}/${this.n})`; }
}

/** What became of one report: the lead it now belongs to, whether it joined it, and the leads listed. */
export interface Observed {
  leadId: string;
  merged: boolean;
  /** Lead ids listed as duplicate candidates (new leads only). */
  candidates: readonly string[];
}

/** What the metrics saw of one report, for diagnostics. */
export interface Seen {
  cluster?: string;
  /** Leads holding an earlier message of the same cluster (a copy, before this report). */
  earlierLeads?: Set<string>;
  /** Set when the report repeats a cluster seen before: it joined or listed one of earlierLeads. */
  found?: boolean;
  /** The lead's messages before this report (merges only). */
  before: string[];
  /** Labelled messages of the joined lead that are of another cluster (wrong merges). */
  wrong: string[];
}

/**
 * The de-duplication metrics against the hand labels, fed report by report in posting order: precision
 * of automatic merges pair by pair (each labelled report merged into a lead × each labelled report
 * already there), and the share of repeat reports that joined or listed the lead of an earlier message
 * of their cluster; both also without the 3 largest clusters and on two halves of the clusters.
 * Shared by the in-memory simulator (below) and the real intake path (bench/eval-dedupe.ts).
 */
export class DedupeMetrics {
  readonly pairs = { all: new Tally(), small: new Tally(), half: [new Tally(), new Tally()] as [Tally, Tally] };
  readonly repeats = {
    all: new Tally(), small: new Tally(), half: [new Tally(), new Tally()] as [Tally, Tally],
    otherReporter: new Tally(), otherReporterSmall: new Tally(),
  };
  leads = 0;
  merges = 0;
  /** Labelled reports merged into a lead holding no labelled report. */
  mergesIntoUnlabelled = 0;
  listed = 0;
  /** Days since the cluster's previous message, for each repeat. */
  readonly gaps: number[] = [];
  readonly largest: Set<string>;
  private readonly clusterOf = new Map<string, string>();
  private readonly leadOf = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly seenCluster = new Map<string, Set<string>>(); // cluster → leads holding an earlier member
  private readonly lastSeen = new Map<string, number>();
  private readonly usersOf = new Map<string, Set<string>>();

  constructor(private readonly labels: Labels) {
    const size = new Map<string, number>();
    for (const c of labels.clusters) {
      size.set(c.id, c.messages.length);
      for (const m of c.messages) this.clusterOf.set(m, c.id);
    }
    this.largest = new Set([...size].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id]) => id));
  }

  cluster(id: string): string | undefined {
    return this.clusterOf.get(id);
  }

  observe(m: Pick<Message, 'id' | 'user' | 'postedAt'>, o: Observed): Seen {
    const { clusterOf, largest } = this;
    const cluster = clusterOf.get(m.id);
    const earlier = cluster ? this.seenCluster.get(cluster) : undefined;
    const seen: Seen = { cluster, earlierLeads: earlier ? new Set(earlier) : undefined, before: [], wrong: [] };
    if (o.merged) {
      this.merges++;
      const all = this.members.get(o.leadId) ?? [];
      seen.before = [...all];
      const others = all.filter((x) => clusterOf.has(x));
      if (cluster && !others.length) this.mergesIntoUnlabelled++;
      if (cluster) {
        for (const x of others) {
          const ok = clusterOf.get(x) === cluster;
          this.pairs.all.add(ok);
          this.pairs.half[half(cluster)].add(ok);
          if (!largest.has(cluster) && !largest.has(clusterOf.get(x) ?? '')) this.pairs.small.add(ok);
          if (!ok) seen.wrong.push(x);
        }
      }
    } else {
      this.leads++;
      this.listed += o.candidates.length;
    }
    if (cluster && earlier?.size) {
      const found = o.merged ? earlier.has(o.leadId) : o.candidates.some((c) => earlier.has(c));
      seen.found = found;
      this.repeats.all.add(found);
      this.repeats.half[half(cluster)].add(found);
      // Independent reports: nobody in the cluster wrote before under this reporter's name.
      if (!(this.usersOf.get(cluster)?.has(m.user))) {
        this.repeats.otherReporter.add(found);
        if (!largest.has(cluster)) this.repeats.otherReporterSmall.add(found);
      }
      if (!largest.has(cluster)) this.repeats.small.add(found);
      const t = Date.parse(m.postedAt);
      this.gaps.push((t - (this.lastSeen.get(cluster) ?? t)) / 86_400_000);
    }
    if (cluster) {
      this.lastSeen.set(cluster, Date.parse(m.postedAt));
      this.usersOf.set(cluster, (this.usersOf.get(cluster) ?? new Set<string>()).add(m.user));
      const set = this.seenCluster.get(cluster) ?? new Set<string>();
      set.add(o.leadId);
      this.seenCluster.set(cluster, set);
    }
    this.leadOf.set(m.id, o.leadId);
    this.members.set(o.leadId, [...(this.members.get(o.leadId) ?? []), m.id]);
    return seen;
  }

  get listedPerNewLead(): number {
    return this.listed / Math.max(1, this.leads);
  }

  /** Look-alike pairs (labelled as different problems) that ended on the same lead. */
  distinctMerged(): string[] {
    const out: string[] = [];
    for (const [a, b, why] of this.labels.distinct) {
      if (this.leadOf.get(a) && this.leadOf.get(a) === this.leadOf.get(b)) out.push(`${a} ${b} ${why}`);
    }
    return out;
  }
}

/**
 * Fill the index with `count` earlier reports — copies of the corpus moved back by whole
 * three-year cycles, so they sit outside any window but weigh on document frequencies and
 * posting lists the way years of intake would.
 */
async function prefill(index: MemoryIndex, messages: Message[], count: number, config: DedupeConfig): Promise<void> {
  const cycle = 3 * 365 * 86_400_000;
  for (let i = 0; i < count; i++) {
    const m = messages[i % messages.length];
    if (!m) continue;
    const shift = (Math.floor(i / messages.length) + 1) * cycle;
    const draft = { ...toDraft(m), reportedAt: new Date(Date.parse(m.postedAt) - shift).toISOString() };
    const raw = rawFeatures(draft, config.features);
    const hashes = featureHashes(raw);
    const counts = await index.docFreq(hashes);
    const { write } = weigh(raw, draft.reportedAt, counts, await index.totalDocs(), config.features, hashes);
    index.add(`P${i}`, write);
  }
}

async function run(messages: Message[], labels: Labels, config: DedupeConfig, prior = 0): Promise<RunResult> {
  const metrics = new DedupeMetrics(labels);
  const index = createMemoryIndex({ sketchBits: process.env.SKETCH_BITS ? Number(process.env.SKETCH_BITS) : undefined });
  if (prior) await prefill(index, messages, prior, config);
  const result: RunResult = {
    config,
    pairs: metrics.pairs,
    repeats: metrics.repeats,
    leads: 0, msPerReport: [], merges: 0, mergesIntoUnlabelled: 0, listedPerNewLead: 0,
    candidateRecall: new Tally(), wrongMerges: [], unlabelledMerges: [], missed: [], distinctMerged: [], gaps: metrics.gaps,
    size: { postings: 0, features: 0, vocabulary: 0, singletons: 0, leads: 0 },
  };
  const byId = new Map(messages.map((x) => [x.id, x]));
  let nextLead = 1;
  for (const m of messages) {
    const draft = toDraft(m);
    const t0 = performance.now();
    const { decision, write, scored } = await dedupe(index, draft, config);
    const leadId = decision.kind === 'merge' ? decision.leadId : `L${nextLead++}`;
    index.add(leadId, write);
    result.msPerReport.push(performance.now() - t0);

    const seen = metrics.observe(m, {
      leadId, merged: decision.kind === 'merge',
      candidates: decision.kind === 'merge' ? [] : decision.candidates.map((c) => c.leadId),
    });
    const { cluster, earlierLeads } = seen;
    if (decision.kind === 'merge') {
      if (!cluster && !seen.before.some((x) => metrics.cluster(x))) {
        const first = byId.get(seen.before[0] ?? '');
        result.unlabelledMerges.push(`${decision.score.toFixed(2)} ${m.id} ${m.title} ⇐ ${first?.id} ${first?.title}`);
      }
      for (const x of seen.wrong) result.wrongMerges.push(`${m.id}(${cluster}) → ${x}(${metrics.cluster(x)}) ${describe(scored, leadId)}`);
    }
    if (cluster && earlierLeads?.size) {
      result.candidateRecall.add(scored.some((s) => earlierLeads.has(s.leadId)));
      if (!seen.found) {
        const best = scored.find((s) => earlierLeads.has(s.leadId));
        result.missed.push(`${m.id}(${cluster}) ${best ? describe(scored, best.leadId) : 'not retrieved'}`);
      }
    }
  }
  result.leads = metrics.leads;
  result.merges = metrics.merges;
  result.mergesIntoUnlabelled = metrics.mergesIntoUnlabelled;
  result.listedPerNewLead = metrics.listedPerNewLead;
  result.size = index.size();
  result.distinctMerged = metrics.distinctMerged();
  return result;
}

/** Clusters split in two by a hash of their id, to see whether a figure holds on both halves. */
function half(cluster: string): 0 | 1 {
  let h = 2166136261;
  for (const ch of cluster) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) % 2 === 0 ? 0 : 1;
}

function describe(scored: ScoreDetail[], leadId: string): string {
  const d = scored.find((s) => s.leadId === leadId);
  if (!d) return '';
  const rank = scored.indexOf(d) + 1;
  return `[#${rank} score ${d.score.toFixed(2)} text ${d.text.toFixed(2)} places ${d.sharedPlaces.join('/') || '-'}`
    + `${d.placeConflict ? ' CONFLICT' : ''}${d.personConflict ? ' PERSONS' : ''} gap ${d.gapDays.toFixed(0)}d]`;
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

function withConfig(patch: Partial<DedupeConfig>): DedupeConfig {
  return { ...DEFAULT_DEDUPE_CONFIG, ...patch };
}

async function main(): Promise<void> {
  const messages = loadMessages();
  const labels = loadLabels();
  const labelled = labels.clusters.reduce((s, c) => s + c.messages.length, 0);
  const base = DEFAULT_DEDUPE_CONFIG;
  const high = Number(arg('high') ?? base.thresholds.high);
  const low = Number(arg('low') ?? base.thresholds.low);
  const windowDays = Number(arg('window') ?? base.windowDays);
  const config = withConfig({
    thresholds: { high, low }, windowDays,
    scoredLeads: Number(arg('scored') ?? base.scoredLeads), candidateLeads: Number(arg('candidates') ?? base.candidateLeads),
    features: {
      ...base.features, lookupNgrams: Number(arg('lookup') ?? base.features.lookupNgrams),
      maxContentChars: Number(arg('content') ?? base.features.maxContentChars),
    },
  });

  console.log(`messages ${messages.length}, labelled ${labelled} in ${labels.clusters.length} clusters `
    + `(${labels.clusters.filter((c) => c.messages.length > 1).length} with repeats), ${labels.distinct.length} look-alike pairs`);

  if (arg('scale')) {
    // Time per report when the store already holds many leads (memory index; the SQL store has its own bench).
    for (const prior of (arg('scale') ?? '').split(',').map(Number)) {
      const r = await run(messages, labels, config, prior);
      const mean = r.msPerReport.reduce((s, x) => s + x, 0) / r.msPerReport.length;
      console.log(`prior leads ${prior}: time per report mean ${mean.toFixed(2)} ms, p50 ${quantile(r.msPerReport, 0.5).toFixed(2)} ms, `
        + `p95 ${quantile(r.msPerReport, 0.95).toFixed(2)} ms; precision ${r.pairs.all}, recall ${r.repeats.all}`);
    }
    return;
  }

  if (args.includes('--sweep')) {
    const list = (name: string, fallback: number[]): number[] => arg(name)?.split(',').map(Number) ?? fallback;
    for (const w of list('windows', [30, 60, 90])) {
      for (const h of list('highs', [0.5, 0.6, 0.7])) {
        for (const l of list('lows', [0.12, 0.16, 0.2])) {
          const r = await run(messages, labels, withConfig({ thresholds: { high: h, low: l }, windowDays: w }));
          console.log(`window ${w} high ${h} low ${l}: precision ${r.pairs.all} small ${r.pairs.small}; `
            + `recall ${r.repeats.all} small ${r.repeats.small}; leads ${r.leads}; listed ${r.listedPerNewLead.toFixed(2)}`);
        }
      }
    }
    return;
  }

  const r = await run(messages, labels, config);
  const gaps = r.gaps;
  console.log(`config: window ${windowDays} d, thresholds high ${high} low ${low}`);
  console.log(`repeat gaps (days since the cluster's previous message): median ${quantile(gaps, 0.5).toFixed(1)}, `
    + `p75 ${quantile(gaps, 0.75).toFixed(1)}, p90 ${quantile(gaps, 0.9).toFixed(1)}, p95 ${quantile(gaps, 0.95).toFixed(1)}, `
    + `≤30 d ${(gaps.filter((g) => g <= 30).length / gaps.length).toFixed(3)}, ≤60 d ${(gaps.filter((g) => g <= 60).length / gaps.length).toFixed(3)}`);
  console.log(`automatic merges: ${r.merges} (${r.mergesIntoUnlabelled} labelled reports merged into leads without a labelled report)`);
  console.log(`precision (pairs, all clusters):        ${r.pairs.all}`);
  console.log(`precision (pairs, without 3 largest):   ${r.pairs.small}`);
  console.log(`repeat found (all clusters):            ${r.repeats.all}`);
  console.log(`repeat found (without 3 largest):       ${r.repeats.small}`);
  console.log(`repeat found, first from this reporter: ${r.repeats.otherReporter}; without 3 largest ${r.repeats.otherReporterSmall}`);
  console.log(`earlier lead retrieved and scored:      ${r.candidateRecall}`);
  console.log(`split halves of the clusters: precision ${r.pairs.half[0]} / ${r.pairs.half[1]}, `
    + `recall ${r.repeats.half[0]} / ${r.repeats.half[1]}`);
  console.log(`leads created: ${r.leads} from ${messages.length} reports; candidates listed per new lead ${r.listedPerNewLead.toFixed(2)}`);
  console.log(`time per report: mean ${(r.msPerReport.reduce((s, x) => s + x, 0) / r.msPerReport.length).toFixed(2)} ms, `
    + `p50 ${quantile(r.msPerReport, 0.5).toFixed(2)} ms, p95 ${quantile(r.msPerReport, 0.95).toFixed(2)} ms`);
  console.log(`look-alike pairs merged: ${r.distinctMerged.length}/${labels.distinct.length}`);
  console.log(`index: ${r.size.postings} posting rows (${(r.size.postings / messages.length).toFixed(1)} per report), `
    + `${r.size.vocabulary} features counted for document frequency, ${r.size.singletons} of them seen once`);
  if (verbose) {
    for (const w of r.wrongMerges) console.log(`  wrong merge ${w}`);
    for (const d of r.distinctMerged) console.log(`  look-alike merged ${d}`);
    for (const m of r.missed) console.log(`  missed ${m}`);
    for (const m of r.unlabelledMerges) console.log(`  unlabelled merge ${m}`);
  }
  console.log(`dedupe: precision ${r.pairs.all.rate.toFixed(3)} (n=${r.pairs.all.n}), recall ${r.repeats.all.rate.toFixed(3)} (n=${r.repeats.all.n}); `
    + `without 3 largest clusters: precision ${r.pairs.small.rate.toFixed(3)} (n=${r.pairs.small.n}), recall ${r.repeats.small.rate.toFixed(3)} (n=${r.repeats.small.n})`);
}

// Run only when started as a script, not when imported for its metrics (bench/eval-dedupe.ts).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
