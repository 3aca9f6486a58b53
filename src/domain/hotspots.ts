// Hotspots (热点提示): an agency, enforcement field or township whose leads in the last few days
// clearly exceed its usual rate. The rule, in one sentence (ruleSentence): at least `minLeads`
// leads in the window, and so many that a Poisson count at the baseline's daily rate would reach
// it with a probability below `maxProbability`. The baseline is the days before the window, so a
// burst does not raise its own expectation.
import { z } from 'zod';
import { addDays, type IsoDate } from './calendar/index.ts';

export const HOTSPOT_DIMENSIONS = ['agency', 'domain', 'township'] as const;
export type HotspotDimension = (typeof HOTSPOT_DIMENSIONS)[number];
export const DIMENSION_LABEL: Record<HotspotDimension, string> = { agency: '单位', domain: '执法领域', township: '乡镇街道' };

export const hotspotRuleSchema = z.strictObject({
  /** The recent window, in days ending today (today included). */
  windowDays: z.number().int().min(1).max(60),
  /** The days before the window whose daily rate is "usual". */
  baselineDays: z.number().int().min(7).max(730),
  /** Fewer leads than this in the window are never a hotspot, however quiet the baseline was. */
  minLeads: z.number().int().min(1).max(10_000),
  /** Flagged when P(X ≥ count) under Poisson(expected) is below this. */
  maxProbability: z.number().gt(0).lt(0.5),
}).refine((r) => r.baselineDays >= r.windowDays, { message: '基准期（baselineDays）不能短于窗口期（windowDays）', path: ['baselineDays'] });
export type HotspotRule = z.infer<typeof hotspotRuleSchema>;

export const DEFAULT_HOTSPOT_RULE: HotspotRule = { windowDays: 7, baselineDays: 90, minLeads: 5, maxProbability: 0.001 };

/** Leads of one agency / field / township: in the window, and in the baseline days before it. */
export interface HotspotCount {
  dimension: HotspotDimension;
  key: string;
  recent: number;
  baseline: number;
}

export interface Hotspot extends HotspotCount {
  /** Leads the baseline's daily rate predicts for the window. */
  expected: number;
  /** P(X ≥ recent) for X ~ Poisson(expected). */
  probability: number;
  /** The baseline days the data covers (the rule's, or fewer for a younger service). */
  baselineDays: number;
}

/** The local dates the rule reads: the window [windowFrom, today] and the baseline [baselineFrom, windowFrom). */
export function hotspotPeriod(today: IsoDate, rule: HotspotRule): { windowFrom: IsoDate; baselineFrom: IsoDate } {
  const windowFrom = addDays(today, 1 - rule.windowDays);
  return { windowFrom, baselineFrom: addDays(windowFrom, -rule.baselineDays) };
}

/**
 * P(X ≥ k) for X ~ Poisson(mean), summed in log space so that large means do not underflow.
 * Exact to about 1e-12 for the counts a district sees.
 */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  const logMean = Math.log(mean);
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  const logTermK = -mean + k * logMean - logFactorial;
  if (k > mean) {
    // Terms fall from k on: sum the upper tail directly.
    let term = Math.exp(logTermK);
    let sum = 0;
    for (let i = k; term > sum * 1e-16 && i < k + 100_000; i++) {
      sum += term;
      term *= mean / (i + 1);
    }
    return Math.min(1, sum);
  }
  // k ≤ mean: 1 − P(X < k), summing the lower terms downwards from k − 1.
  let term = Math.exp(logTermK) * k / mean;
  let lower = 0;
  for (let i = k - 1; i >= 0 && term > 0; i--) {
    lower += term;
    term *= i / mean;
  }
  return Math.max(0, Math.min(1, 1 - lower));
}

/**
 * The hotspots among the counts, most surprising first. `baselineDays` is how many baseline days
 * the data really covers (fewer than the rule's when the service is younger than that); with less
 * history than one window there is no usual rate to exceed, and nothing is flagged.
 */
export function findHotspots(counts: readonly HotspotCount[], rule: HotspotRule, baselineDays = rule.baselineDays): Hotspot[] {
  if (baselineDays < rule.windowDays) return [];
  const out: Hotspot[] = [];
  for (const c of counts) {
    if (c.recent < rule.minLeads) continue;
    const expected = c.baseline * rule.windowDays / baselineDays;
    const probability = poissonTail(c.recent, expected);
    if (probability < rule.maxProbability) out.push({ ...c, expected, probability, baselineDays });
  }
  return out.sort((a, b) => a.probability - b.probability || b.recent - a.recent
    || a.dimension.localeCompare(b.dimension) || a.key.localeCompare(b.key));
}

function percent(p: number): string {
  const v = p * 100;
  return `${Number(v.toPrecision(2))}%`;
}

/** The rule in one Chinese sentence, with its thresholds. */
export function ruleSentence(rule: HotspotRule): string {
  return `某一单位、执法领域或乡镇街道近 ${rule.windowDays} 天的线索不少于 ${rule.minLeads} 件，`
    + `且按此前 ${rule.baselineDays} 天的日均件数推算，${rule.windowDays} 天内出现这么多件的概率低于 ${percent(rule.maxProbability)}（泊松分布）时，提示为热点。`;
}

/** '近 7 天 12 件，按往常约 2.3 件' — the figures of one hotspot. */
export function hotspotFigures(h: Hotspot, rule: Pick<HotspotRule, 'windowDays'>): string {
  const expected = h.expected < 0.05 ? '不到 0.1' : `约 ${h.expected.toFixed(1)}`;
  const ratio = h.expected > 0 ? `，为往常的 ${(h.recent / h.expected).toFixed(1)} 倍` : '，此前基本没有';
  return `近 ${rule.windowDays} 天 ${h.recent} 件，按往常应为${expected} 件${ratio}（此前 ${h.baselineDays} 天共 ${h.baseline} 件）`;
}
