// A report's features: character bigrams and trigrams of its normalised text plus the extracted
// keys, each weighted by rarity (document frequencies come from the index port).
import { extractKeys, mergeKeys, normalise, subjectsIn, type ExtractedKeys } from './normalise.ts';
import {
  FINGERPRINT_FEATURES, MAX_POSTINGS, type FingerprintPlace, type IndexWrite, type Posting,
  type ReportFingerprint, type ScoringFingerprint,
} from './port.ts';
import { Ngrams, gramCode, gramHash } from './ngrams.ts';
import { hash32, uniqueHashes } from './sketch.ts';
import type { LeadDraft } from '../types.ts';

/** The parts of a report that de-duplication reads; a LeadDraft is one. */
export interface ReportText {
  title: string;
  content: string;
  reportedAt: string;
  address?: string | undefined;
  township?: string | undefined;
  subject?: string | undefined;
}

/** What de-duplication reads of a lead draft: the same on Node (in or out of its thread) and on Workers. */
export function reportTextOf(draft: Pick<LeadDraft, 'title' | 'content' | 'reportedAt' | 'address' | 'township' | 'subject'>): ReportText {
  return {
    title: draft.title, content: draft.content, reportedAt: draft.reportedAt,
    address: draft.address, township: draft.township, subject: draft.subject,
  };
}

export interface FeatureOptions {
  /** Normalised content characters used (a long letter's tail adds cost, not evidence). */
  maxContentChars: number;
  /** A title n-gram counts this many times. */
  titleBoost: number;
  /** Extracted keys weigh this much more than an n-gram of the same rarity. */
  keyBoost: number;
  /** Features in more than this share of documents are noise: never looked up or posted. */
  noiseShare: number;
  /** ... but a feature is noise only above this many documents (small stores). */
  noiseMinDocs: number;
  /** How many of the report's heaviest n-grams are looked up (keys come on top). */
  lookupNgrams: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  maxContentChars: 1200,
  titleBoost: 2,
  keyBoost: 1.5,
  noiseShare: 0.02,
  noiseMinDocs: 20,
  lookupNgrams: 64,
};

/** Raw term counts of a report, before any weighting. */
export interface RawFeatures {
  /** Normalised title and content. */
  text: string;
  /** Each distinct n-gram of `text`, in order of first appearance, with its term frequency. */
  ngrams: Ngrams;
  keys: ExtractedKeys;
  titleKeys: ExtractedKeys;
  /** Typed key features (`place:…`, `phone:…`, `township:…`, …). */
  keyFeatures: string[];
}

export function rawFeatures(report: ReportText, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): RawFeatures {
  const title = normalise(report.title);
  const content = normalise(report.content).slice(0, options.maxContentChars);
  const text = `${title} ${content}`;
  const ngrams = new Ngrams(text);
  ngrams.addRun(0, title.length, options.titleBoost, true);
  ngrams.addRun(title.length + 1, text.length, 1, false);
  const titleKeys = extractKeys(report.title);
  // Each text on its own (a number never runs from the title into the address), then together.
  const keys = mergeKeys([
    titleKeys, extractKeys(report.address ?? ''), extractKeys(report.content.slice(0, options.maxContentChars * 2)),
  ]);
  if (report.township) {
    const stated = extractKeys(report.township).townships;
    keys.townships.push(...(stated.length ? stated : [normalise(report.township).replace(/(街道办事处|街道办|街道|镇|乡)$/u, '')]));
  }
  if (report.subject) keys.subjects.push(...subjectsIn(report.subject));
  const keyFeatures = new Set<string>();
  for (const p of keys.places) keyFeatures.add(`place:${p.name}`);
  for (const p of keys.phones) keyFeatures.add(`phone:${p}`);
  for (const o of keys.orders) keyFeatures.add(`order:${o}`);
  for (const t of keys.townships) keyFeatures.add(`township:${t}`);
  return { text, ngrams, keys, titleKeys, keyFeatures: [...keyFeatures] };
}

/** Every feature whose document frequency is needed to weigh the report: its n-grams, then its keys. */
export function featureNames(raw: RawFeatures): string[] {
  return [...Array.from({ length: raw.ngrams.size }, (_, i) => raw.ngrams.gram(i)), ...raw.keyFeatures];
}

/** hashAll(featureNames(raw)), without making the names. */
export function featureHashes(raw: RawFeatures): Uint32Array {
  const n = raw.ngrams.size;
  const out = new Uint32Array(n + raw.keyFeatures.length);
  out.set(raw.ngrams.hashes.subarray(0, n));
  raw.keyFeatures.forEach((k, j) => { out[n + j] = hash32(k); });
  return out;
}

/** Inverse document frequency, smoothed; a feature never seen counts as seen once. */
export function idf(df: number, totalDocs: number): number {
  return Math.log((totalDocs + 1) / (Math.max(df, 1) + 0.5)) + 1;
}

export function isNoise(df: number, totalDocs: number, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): boolean {
  return df > Math.max(options.noiseMinDocs, options.noiseShare * totalDocs);
}

/** The incoming report as scoring sees it: the weight of each of its n-grams, and its normalised text. */
export interface QueryReport extends Omit<ReportFingerprint, 'vector'> {
  text: string;
  /** Its n-grams, and the weight of each. */
  ngrams: Ngrams;
  weights: Float64Array;
}

export interface WeightedReport {
  /** The report itself with its whole vector: what stored leads are scored against. */
  query: QueryReport;
  /** Features to look the report up by: its keys and heaviest n-grams, noise left out. */
  lookup: { feature: string; weight: number }[];
  /** What the store writes for it. */
  write: IndexWrite;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** Document frequencies of featureNames(raw), in that order, from a map of them. */
export function countsOf(raw: RawFeatures, docFreq: ReadonlyMap<string, number>): Uint32Array {
  return Uint32Array.from(featureNames(raw), (f) => docFreq.get(f) ?? 0);
}

/**
 * Weigh a report's features by rarity and choose what to look up, what to post and what to keep.
 * `docFreq` holds the frequencies in the store *before* this report is added: a map, or the
 * counts of featureNames(raw) in that order.
 */
export function weigh(
  raw: RawFeatures,
  reportedAt: string,
  docFreq: ReadonlyMap<string, number> | Uint32Array,
  totalDocs: number,
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
  /** featureHashes(raw), when the caller has it already. */
  hashes?: Uint32Array,
): WeightedReport {
  const counts = docFreq instanceof Uint32Array ? docFreq : countsOf(raw, docFreq);
  const grams = raw.ngrams;
  const n = grams.size;
  // idf by document frequency: most features share a handful of small frequencies.
  const idfs = new Float64Array(256);
  const idfOf = (df: number): number => {
    if (df >= idfs.length) return idf(df, totalDocs);
    return idfs[df] || (idfs[df] = idf(df, totalDocs));
  };
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tf = grams.tf[i]!;
    weights[i] = round((tf === 1 ? 1 : 1 + Math.log(tf)) * idfOf(counts[i]!));
  }
  const order = heaviestFirst(weights);
  let sumSquares = 0;
  for (let k = 0; k < n; k++) sumSquares += weights[order[k]!]! ** 2;
  const noise = (df: number): boolean => isNoise(df, totalDocs, options);

  const kept: [string, number][] = [];
  for (let k = 0; k < order.length && k < FINGERPRINT_FEATURES; k++) kept.push([grams.gram(order[k]!), weights[order[k]!]!]);

  const keyWeights: [key: string, weight: number, df: number][] = [];
  raw.keyFeatures.forEach((key, j) => {
    const df = counts[n + j]!;
    if (!noise(df)) keyWeights.push([key, options.keyBoost * idf(df, totalDocs), df]);
  });
  keyWeights.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

  // Look up by n-grams that some stored report has (df ≥ 1) and that are not noise.
  const lookup = keyWeights.map(([feature, weight]) => ({ feature, weight }));
  for (let k = 0, found = 0; k < order.length && found < options.lookupNgrams; k++) {
    const i = order[k]!;
    const df = counts[i]!;
    if (df >= 1 && !noise(df)) {
      lookup.push({ feature: grams.gram(i), weight: weights[i]! });
      found++;
    }
  }

  // Post the keys, the title's n-grams and the heaviest n-grams that are shared with at least
  // one stored report (rare but not unique: a unique trigram is usually a slip across two words).
  const postings: Posting[] = [];
  const taken = new Set<string>();
  const post = (feature: string, weight: number, df: number): void => {
    if (postings.length >= MAX_POSTINGS || taken.has(feature) || noise(df)) return;
    taken.add(feature);
    postings.push({ feature, weight: round(weight) });
  };
  for (const [k, w, df] of keyWeights) post(k, w, df);
  const passes: ((i: number) => boolean)[] = [
    (i) => grams.inTitle[i] === 1 && grams.length[i] === 3,
    (i) => counts[i]! >= 1,
    () => true,
  ];
  for (const pass of passes) {
    for (let k = 0; k < order.length && postings.length < MAX_POSTINGS; k++) {
      const i = order[k]!;
      if (pass(i)) post(grams.gram(i), weights[i]!, counts[i]!);
    }
  }

  const titlePlaces = new Set(raw.titleKeys.places.map((p) => p.name));
  const places: FingerprintPlace[] = raw.keys.places.map((p) => ({
    name: p.name, kind: p.kind, salient: titlePlaces.has(p.name) || p.count >= 2,
  }));
  const base = {
    places,
    townships: unique(raw.keys.townships),
    subjects: unique(raw.keys.subjects),
    persons: unique(raw.keys.persons),
    phones: raw.keys.phones,
    orders: raw.keys.orders,
    reportedAt,
  };
  const query: QueryReport = {
    norm: round(Math.sqrt(sumSquares)), ...base, text: raw.text,
    ngrams: grams, weights,
  };
  const fingerprint: ReportFingerprint = { vector: kept, norm: norm(kept), ...base };
  return { query, lookup, write: { postings, docHashes: uniqueHashes(hashes ?? featureHashes(raw)), fingerprint } };
}

/** Weights above this many thousandths sort as equal (far above any idf × term weight). */
const MAX_MILLI = (1 << 19) - 1;
const INDEX_BITS = 13;

/**
 * Indices of `weights` (≥ 0, in thousandths), heaviest first, equal weights in their own order
 * (the text's). Sorted as one integer key each, natively: a comparator called ~20,000 times per
 * report cost more than the rest of weighing.
 */
export function heaviestFirst(weights: ArrayLike<number>): Uint32Array {
  const n = weights.length;
  if (n > 1 << INDEX_BITS) {
    return Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
  }
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const milli = Math.min(MAX_MILLI, Math.round(weights[i]! * 1000));
    keys[i] = (MAX_MILLI - milli) * (1 << INDEX_BITS) + i;
  }
  keys.sort();
  for (let i = 0; i < n; i++) keys[i] = keys[i]! % (1 << INDEX_BITS);
  return keys;
}

function norm(vector: [string, number][]): number {
  return round(Math.sqrt(vector.reduce((s, [, w]) => s + w * w, 0)));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A stored report packed for scoring (port.ts PackedVector). */
export function packFingerprint(fp: ReportFingerprint): ScoringFingerprint {
  const { vector, ...rest } = fp;
  const codeWeights = new Float64Array(2 * vector.length);
  const hashEnds = new Uint32Array(2 * vector.length);
  let grams = '';
  vector.forEach(([gram, weight], k) => {
    grams += gram;
    codeWeights[2 * k] = gramCode(gram, 0, gram.length);
    codeWeights[2 * k + 1] = weight;
    hashEnds[2 * k] = gramHash(gram);
    hashEnds[2 * k + 1] = grams.length;
  });
  return { ...rest, vector: { grams, codeWeights, hashEnds }, reportedAtMs: Date.parse(fp.reportedAt) };
}

/** Cosine of the incoming report and a stored one. */
export function cosine(a: QueryReport, b: ScoringFingerprint): number {
  if (!a.norm || !b.norm) return 0;
  const { grams, codeWeights, hashEnds } = b.vector;
  let dot = 0;
  for (let k = 0, from = 0; k < hashEnds.length; from = hashEnds[k + 1]!, k += 2) {
    const i = a.ngrams.findCoded(hashEnds[k]!, codeWeights[k]!, grams, from, hashEnds[k + 1]!);
    if (i >= 0) dot += codeWeights[k + 1]! * a.weights[i]!;
  }
  return dot / (a.norm * b.norm);
}
