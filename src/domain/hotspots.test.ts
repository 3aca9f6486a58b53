import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOTSPOT_RULE, findHotspots, hotspotFigures, hotspotPeriod, hotspotRuleSchema, poissonTail, ruleSentence, type HotspotCount,
} from './hotspots.ts';

const rule = { windowDays: 7, baselineDays: 90, minLeads: 5, maxProbability: 0.001 };
const count = (key: string, recent: number, baseline: number): HotspotCount => ({ dimension: 'agency', key, recent, baseline });

describe('poissonTail', () => {
  it('matches hand-computed values', () => {
    // P(X ≥ 1 | 2) = 1 − e^−2
    expect(poissonTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    // P(X ≥ 5 | 2) = 1 − e^−2 (1 + 2 + 2 + 4/3 + 2/3) = 1 − 7 e^−2
    expect(poissonTail(5, 2)).toBeCloseTo(1 - 7 * Math.exp(-2), 12);
    // P(X ≥ 3 | 7), on the k ≤ mean branch: 1 − e^−7 (1 + 7 + 24.5)
    expect(poissonTail(3, 7)).toBeCloseTo(1 - 32.5 * Math.exp(-7), 12);
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(4, 0)).toBe(0);
  });
  it('stays finite for means where e^−mean underflows', () => {
    expect(poissonTail(900, 800)).toBeGreaterThan(0.0001);
    expect(poissonTail(900, 800)).toBeLessThan(0.001);
    expect(poissonTail(800, 800)).toBeGreaterThan(0.45);
    expect(poissonTail(800, 800)).toBeLessThan(0.55);
  });
  it('falls as the count rises', () => {
    let last = 1;
    for (let k = 1; k < 40; k++) {
      const p = poissonTail(k, 6.5);
      expect(p).toBeLessThanOrEqual(last);
      last = p;
    }
  });
});

describe('findHotspots', () => {
  it('flags a burst and not a steady rate', () => {
    // transport: 90 leads in 90 days → 7 expected in 7 days; 21 is a burst. urban: 7 in 7 days is its usual.
    const found = findHotspots([count('transport', 21, 90), count('urban', 7, 90)], rule);
    expect(found.map((h) => h.key)).toEqual(['transport']);
    expect(found[0]!.expected).toBeCloseTo(7, 10);
    expect(found[0]!.probability).toBeLessThan(0.001);
  });
  it('needs the minimum count, however quiet the baseline', () => {
    expect(findHotspots([count('market', 4, 0)], rule)).toEqual([]);
    expect(findHotspots([count('market', 5, 0)], rule).map((h) => h.key)).toEqual(['market']);
  });
  it('is a threshold on the probability: 9 against 2 expected is flagged, 8 is not', () => {
    // 20 leads in 70 days: 2 expected in 7
    const r = { ...rule, baselineDays: 70 };
    expect(poissonTail(8, 2)).toBeGreaterThan(0.001);
    expect(poissonTail(9, 2)).toBeLessThan(0.001);
    expect(findHotspots([count('a', 8, 20)], r)).toEqual([]);
    expect(findHotspots([count('a', 9, 20)], r)).toHaveLength(1);
  });
  it('uses the baseline days the data covers, and says nothing with less than one window of history', () => {
    // 30 days of history with 30 leads: 7 expected; 20 is a burst
    expect(findHotspots([count('a', 20, 30)], rule, 30)[0]).toMatchObject({ expected: 7, baselineDays: 30 });
    expect(findHotspots([count('a', 20, 0)], rule, 6)).toEqual([]);
  });
  it('puts the most surprising first', () => {
    const found = findHotspots([count('a', 10, 0), count('b', 30, 0), count('c', 12, 10)], rule);
    expect(found.map((h) => h.key)).toEqual(['b', 'a', 'c']);
  });
});

describe('the rule as configuration and words', () => {
  it('refuses thresholds that make no sense', () => {
    expect(hotspotRuleSchema.safeParse(DEFAULT_HOTSPOT_RULE).success).toBe(true);
    expect(hotspotRuleSchema.safeParse({ ...rule, baselineDays: 7, windowDays: 14 }).success).toBe(false);
    expect(hotspotRuleSchema.safeParse({ ...rule, maxProbability: 0.7 }).success).toBe(false);
    expect(hotspotRuleSchema.safeParse({ ...rule, minLeads: 0 }).success).toBe(false);
  });
  it('gives the window and the baseline as local dates', () => {
    expect(hotspotPeriod('2026-03-10', rule)).toEqual({ windowFrom: '2026-03-04', baselineFrom: '2025-12-04' });
  });
  it('says the rule and the figures in Chinese', () => {
    expect(ruleSentence(rule)).toBe('某一单位、执法领域或乡镇街道近 7 天的线索不少于 5 件，且按此前 90 天的日均件数推算，7 天内出现这么多件的概率低于 0.1%（泊松分布）时，提示为热点。');
    const [h] = findHotspots([count('transport', 21, 90)], rule);
    expect(hotspotFigures(h!, rule)).toBe('近 7 天 21 件，按往常应为约 7.0 件，为往常的 3.0 倍（此前 90 天共 90 件）');
    const [z] = findHotspots([count('market', 6, 0)], rule);
    expect(hotspotFigures(z!, rule)).toBe('近 7 天 6 件，按往常应为不到 0.1 件，此前基本没有（此前 90 天共 0 件）');
  });
});
