// Scoring candidate leads and deciding: merge into one of them, or a new lead that lists the
// closest ones for a person to confirm.
import { z } from 'zod';
import {
  DEFAULT_FEATURE_OPTIONS, cosine, featureHashes, rawFeatures, weigh, type FeatureOptions, type QueryReport,
  type ReportText,
} from './features.ts';
import type {
  DedupeIndex, FingerprintPlace, IndexWrite, LeadFingerprint, PlaceKind, ScoringFingerprint,
} from './port.ts';

export const ThresholdsSchema = z.object({
  /** At or above: attach the report to the lead automatically. */
  high: z.number().min(0).max(2),
  /** At or above (and below high): a new lead listing the other as a duplicate candidate. */
  low: z.number().min(0).max(2),
}).refine((t) => t.low <= t.high, { message: 'low must not exceed high' });
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/**
 * Chosen on the labelled TipDM sample (bench/dedupe-sim.ts, 4,326 messages): at high 0.5 every
 * automatic merge between labelled reports was right, and 0.45 too; the first wrong merges came
 * at 0.4. Low 0.16 finds 91% of repeats with under one candidate listed per new lead.
 */
export const DEFAULT_THRESHOLDS: Thresholds = { high: 0.5, low: 0.16 };

export const DedupeOptionsSchema = z.object({
  thresholds: ThresholdsSchema.default(DEFAULT_THRESHOLDS),
  /**
   * Leads with no report in this many days are not looked at. 90: on the labelled sample 19% of
   * repeats came more than 30 days after the problem's previous report, 10% more than 61 days
   * and 5% more than 109 days; 30 days found 79% of repeats, 60 days 88%, 90 days 91%.
   */
  windowDays: z.number().positive().default(90),
  /** Leads fetched from the index by feature hits. */
  candidateLeads: z.number().int().positive().default(40),
  /**
   * Of those, the ones with the heaviest hits are scored in full. 10 (with 40 fetched) finds the
   * same repeats on the labelled sample as 20 (with 60): 507/555, merges 480/481 right, with 0.75
   * candidates listed per new lead instead of 0.84, at three quarters of the scoring time.
   */
  scoredLeads: z.number().int().positive().default(10),
  /** Candidates listed on a new lead. */
  listed: z.number().int().positive().default(5),
  /** An automatic merge also needs the texts themselves to agree this much (shared keys alone never merge). */
  mergeMinText: z.number().min(0).max(1).default(0.3),
});
export type DedupeOptions = z.infer<typeof DedupeOptionsSchema>;
export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = DedupeOptionsSchema.parse({});

export type DedupeDecision =
  | { kind: 'merge'; leadId: string; score: number; why: string }
  | { kind: 'new'; candidates: { leadId: string; score: number }[] };

/** How one lead scored against the incoming report, with the reasons. */
export interface ScoreDetail {
  leadId: string;
  score: number;
  text: number;
  sharedPlaces: string[];
  placeConflict: boolean;
  sameTownship: string[];
  otherTownship: boolean;
  sameSubject: string[];
  sharedContact: string[];
  personConflict: boolean;
  gapDays: number;
}

// Places that pin a problem down; roads are often only the way to get there.
const SPECIFIC: ReadonlySet<PlaceKind> = new Set(['estate', 'company', 'school', 'hospital', 'market', 'village', 'park', 'site']);

const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether `b` holds a[from, from + n) (compared in place: scoring compares thousands of names per look-up). */
function holdsAt(b: string, a: string, from: number, n: number): boolean {
  for (let j = 0; j + n <= b.length; j++) {
    let k = 0;
    while (k < n && b.charCodeAt(j + k) === a.charCodeAt(from + k)) k++;
    if (k === n) return true;
  }
  return false;
}

/** Whether the two names have a run of `n` characters in common. */
function sharesRun(a: string, b: string, n: number): boolean {
  if (SURROGATE.test(a)) {
    // A character outside the BMP takes two code units: runs by code points.
    const x = Array.from(a);
    for (let i = 0; i + n <= x.length; i++) if (b.includes(x.slice(i, i + n).join(''))) return true;
    return false;
  }
  for (let i = 0; i + n <= a.length; i++) if (holdsAt(b, a, i, n)) return true;
  return false;
}

/**
 * Two place names mean the same place when one contains the other (丽发新城 / a2区丽发新城) or,
 * except for roads, when they share a run of three characters that is more than the kind word
 * (保利香槟国际 / 利保香槟国际; not 丽发新城 / 武广新城).
 */
export function pinsDown(p: FingerprintPlace): boolean {
  // An estate's name is often two characters once its kind word is off (金桂小区 → 金桂).
  return p.salient && SPECIFIC.has(p.kind) && p.name.length >= (p.kind === 'estate' ? 2 : 3);
}

export function samePlace(a: FingerprintPlace, b: FingerprintPlace): boolean {
  if (a.name === b.name) return true;
  const short = a.name.length <= b.name.length ? a.name : b.name;
  const long = short === a.name ? b.name : a.name;
  if (short.length >= 3 && long.includes(short)) return true;
  if (a.kind === 'road' || b.kind === 'road') return false;
  return sharesRun(a.name, b.name, 3) && sharesRun(stem(a.name), stem(b.name), 2);
}

const KIND_WORDS = /(有限责任公司|股份有限公司|有限公司|公司|集团|小区|社区|花园|家园|新村|新城|国际城|国际|广场|公寓|山庄|大厦|华庭|华府|公馆|幼儿园|小学|中学|学校|学院|大学|医院|市场|公园|苑|城|园|府|郡|湾|村|组)$/u;

/** A place name without its kind word (丽发新城 → 丽发). */
export function stem(name: string): string {
  return name.replace(KIND_WORDS, '');
}

function shared(a: FingerprintPlace[], b: FingerprintPlace[]): string[] {
  const out: string[] = [];
  for (const p of a) if (b.some((q) => samePlace(p, q))) out.push(p.name);
  return out;
}

function intersect(a: string[], b: string[]): string[] {
  return a.filter((x) => b.includes(x));
}

function meets(a: string[], b: string[]): boolean {
  for (const x of a) if (b.includes(x)) return true;
  return false;
}

const DAY = 86_400_000;

export interface ScoreWeights {
  sharedPlace: number;
  sharedSalientPlace: number;
  sharedContact: number;
  sameTownship: number;
  otherTownship: number;
  sameSubject: number;
  /** The score is multiplied by (1 − timeDecay · gap / window). */
  timeDecay: number;
  /** Different concrete places: the score is multiplied by this. */
  conflictFactor: number;
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  sharedPlace: 0.12,
  sharedSalientPlace: 0.08,
  sharedContact: 0.3,
  sameTownship: 0.04,
  otherTownship: 0.08,
  sameSubject: 0.03,
  timeDecay: 0.2,
  conflictFactor: 0.5,
};

/**
 * How a stored report compares with the incoming one, as yes or no: scoring compares up to
 * scoredLeads × MAX_REPORTS_PER_LEAD reports per look-up, and only the best report of each lead
 * needs the lists that explain it (`explained`).
 */
interface Comparison {
  text: number;
  sharedPlace: boolean;
  salientShared: boolean;
  placeConflict: boolean;
  sameTownship: boolean;
  otherTownship: boolean;
  sameSubject: boolean;
  sharedContact: boolean;
  personConflict: boolean;
  gapDays: number;
}

/** A stored place the new text writes out (a later report often drops the suffix: 保利麓谷林语段施工). */
function writtenOut(q: QueryReport, p: FingerprintPlace): boolean {
  return p.name.length >= 3 && q.text.includes(p.name);
}

/**
 * Different concrete places of the same kind (two estates, two companies) keep reports apart,
 * even when they share a generic one (a 废品站, a 工地).
 */
function placeConflict(q: QueryReport, r: ScoringFingerprint): boolean {
  for (const p of q.places) {
    if (!pinsDown(p)) continue;
    let theirs = false;
    let named = false;
    for (const y of r.places) {
      if (y.kind !== p.kind || !pinsDown(y)) continue;
      theirs = true;
      if (q.text.includes(y.name)) named = true;
    }
    if (!theirs || named) continue;
    let matched = false;
    for (const x of q.places) {
      if (x.kind !== p.kind || !pinsDown(x)) continue;
      for (const y of r.places) if (y.kind === p.kind && pinsDown(y) && samePlace(x, y)) matched = true;
    }
    if (!matched) return true;
  }
  return false;
}

function compare(q: QueryReport, r: ScoringFingerprint, qAt: number): Comparison {
  let sharedPlace = false;
  let salientShared = false;
  for (const p of q.places) {
    for (const o of r.places) {
      // Once a place is shared, only a salient pair can still add anything.
      if ((!sharedPlace || (p.salient && o.salient && !salientShared)) && samePlace(p, o)) {
        sharedPlace = true;
        if (p.salient && o.salient) salientShared = true;
      }
    }
  }
  for (const p of r.places) {
    if (writtenOut(q, p)) {
      sharedPlace = true;
      if (p.salient) salientShared = true;
    }
  }
  const sameTownship = meets(q.townships, r.townships);
  return {
    text: cosine(q, r),
    sharedPlace,
    salientShared,
    placeConflict: placeConflict(q, r),
    sameTownship,
    otherTownship: q.townships.length > 0 && r.townships.length > 0 && !sameTownship,
    sameSubject: meets(q.subjects, r.subjects),
    sharedContact: meets(q.phones, r.phones) || meets(q.orders, r.orders),
    personConflict: q.persons.length > 0 && r.persons.length > 0 && !meets(q.persons, r.persons),
    gapDays: Math.abs(qAt - r.reportedAtMs) / DAY,
  };
}

function scoreOf(c: Comparison, windowDays: number, w: ScoreWeights): number {
  let score = c.text;
  if (c.sharedPlace) score += w.sharedPlace;
  if (c.salientShared) score += w.sharedSalientPlace;
  if (c.sharedContact) score += w.sharedContact;
  if (c.sameTownship) score += w.sameTownship;
  if (c.otherTownship) score -= w.otherTownship;
  if (c.sameSubject) score += w.sameSubject;
  score *= 1 - w.timeDecay * Math.min(1, c.gapDays / windowDays);
  if (c.placeConflict) score *= w.conflictFactor;
  return Math.max(0, Math.min(1, score));
}

/** The comparison with the lists that explain it. */
function explained(q: QueryReport, r: ScoringFingerprint, c: Comparison, leadId: string, score: number): ScoreDetail {
  const sharedPlaces = [...new Set([
    ...shared(q.places, r.places), ...r.places.filter((p) => writtenOut(q, p)).map((p) => p.name),
  ])];
  return {
    leadId, score, text: c.text, sharedPlaces, placeConflict: c.placeConflict,
    sameTownship: intersect(q.townships, r.townships), otherTownship: c.otherTownship,
    sameSubject: intersect(q.subjects, r.subjects),
    sharedContact: [...intersect(q.phones, r.phones), ...intersect(q.orders, r.orders)],
    personConflict: c.personConflict, gapDays: c.gapDays,
  };
}

/** Score a lead by its best-matching recent report (the first of equals, newest first). */
export function scoreLead(
  q: QueryReport, lead: LeadFingerprint, windowDays: number, weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS,
): ScoreDetail {
  const qAt = Date.parse(q.reportedAt);
  let best: { r: ScoringFingerprint; c: Comparison; score: number } | undefined;
  for (const r of lead.reports) {
    const c = compare(q, r, qAt);
    const score = scoreOf(c, windowDays, weights);
    if (!best || score > best.score) best = { r, c, score };
  }
  if (best) return explained(q, best.r, best.c, lead.leadId, best.score);
  return {
    leadId: lead.leadId, score: 0, text: 0, sharedPlaces: [], placeConflict: false, sameTownship: [],
    otherTownship: false, sameSubject: [], sharedContact: [], personConflict: false, gapDays: 0,
  };
}

/** The normalised phone numbers extractKeys finds (normalise.ts); everything else shared is an order number. */
const isPhone = (key: string) => /^(?:1[3-9]\d{9}|0\d{2,3}\d{7,8})$/.test(key);

/** Why a merge was made, in Chinese, for the event log. */
export function explain(d: ScoreDetail): string {
  const parts = [`综合得分${d.score.toFixed(2)}`, `文本相似度${d.text.toFixed(2)}`];
  if (d.sharedPlaces.length) parts.push(`同一地点：${d.sharedPlaces.slice(0, 3).join('、')}`);
  // The kind of key, never its value: the record is read by more people than the reporter's number may be.
  if (d.sharedContact.some(isPhone)) parts.push('相同联系方式');
  if (d.sharedContact.some((c) => !isPhone(c))) parts.push('相同工单号');
  if (d.sameTownship.length) parts.push(`同一乡镇（街道）：${d.sameTownship.join('、')}`);
  if (d.sameSubject.length) parts.push('被反映单位相同');
  parts.push(`与该线索最近一次来件相隔${Math.round(d.gapDays)}天`);
  return parts.join('；');
}

/** Two thresholds: merge at or above high; list as candidates between low and high. */
export function decide(
  scored: ScoreDetail[], thresholds: Thresholds = DEFAULT_THRESHOLDS, listed = 5, mergeMinText = 0,
): DedupeDecision {
  const ranked = [...scored].sort((a, b) => b.score - a.score || (a.leadId < b.leadId ? -1 : 1));
  // Different concrete places or different named victims never merge on their own, and shared
  // keys never merge texts that do not agree.
  const best = ranked.find((d) => !d.placeConflict && !d.personConflict && d.text >= mergeMinText);
  if (best && best.score >= thresholds.high) {
    return { kind: 'merge', leadId: best.leadId, score: round(best.score), why: explain(best) };
  }
  return {
    kind: 'new',
    candidates: ranked.filter((d) => d.score >= thresholds.low).slice(0, listed)
      .map((d) => ({ leadId: d.leadId, score: round(d.score) })),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface DedupeResult {
  decision: DedupeDecision;
  /** To be written by the store in the intake commit, under the merged or the new lead. */
  write: IndexWrite;
  /** Every lead scored, best first (for the log and for tuning). */
  scored: ScoreDetail[];
}

export interface DedupeConfig extends DedupeOptions {
  features: FeatureOptions;
  weights: ScoreWeights;
}

export const DEFAULT_DEDUPE_CONFIG: DedupeConfig = {
  ...DEFAULT_DEDUPE_OPTIONS, features: DEFAULT_FEATURE_OPTIONS, weights: DEFAULT_SCORE_WEIGHTS,
};

/**
 * The whole de-duplication step for one report: weigh its features, look up leads posted under
 * its heaviest features within the window, score the best of them and decide.
 */
export async function dedupe(
  index: DedupeIndex, report: ReportText, config: DedupeConfig = DEFAULT_DEDUPE_CONFIG,
): Promise<DedupeResult> {
  const reportedAt = Date.parse(report.reportedAt);
  if (Number.isNaN(reportedAt)) throw new RangeError(`reportedAt is not a time: ${report.reportedAt}`);
  // Times are stored and compared as UTC ISO strings, whatever offset the source used.
  const at = new Date(reportedAt).toISOString();
  const raw = rawFeatures(report, config.features);
  const hashes = featureHashes(raw);
  const [counts, totalDocs] = await Promise.all([index.docFreq(hashes), index.totalDocs()]);
  const weighted = weigh(raw, at, counts, totalDocs, config.features, hashes);
  const since = new Date(reportedAt - config.windowDays * DAY).toISOString();
  const lookupWeight = new Map(weighted.lookup.map((l) => [l.feature, l.weight]));
  const hits = weighted.lookup.length
    ? await index.candidates(weighted.lookup.map((l) => l.feature), since, config.candidateLeads)
    : [];
  const ranked = hits
    .map((h) => ({ leadId: h.leadId, mass: h.hits.reduce((s, f) => s + (lookupWeight.get(f) ?? 0), 0) }))
    .sort((a, b) => b.mass - a.mass || (a.leadId < b.leadId ? -1 : 1))
    .slice(0, config.scoredLeads);
  const leads = ranked.length ? await index.fingerprints(ranked.map((r) => r.leadId), since) : [];
  const scored = leads
    .map((lead) => scoreLead(weighted.query, lead, config.windowDays, config.weights))
    .sort((a, b) => b.score - a.score);
  return {
    decision: decide(scored, config.thresholds, config.listed, config.mergeMinText), write: weighted.write, scored,
  };
}
