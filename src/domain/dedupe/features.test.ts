import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURE_OPTIONS, cosine, countsOf, featureHashes, featureNames, heaviestFirst, packFingerprint, idf, isNoise, rawFeatures, weigh, type ReportText,
} from './features.ts';
import { MAX_POSTINGS } from './port.ts';
import { hash32, hashAll } from './sketch.ts';

const report = (title: string, content: string, reportedAt = '2019-11-02T08:00:00.000Z'): ReportText =>
  ({ title, content, reportedAt });

const long = report(
  '星河湾小区旁边新建搅拌站，噪音和粉尘严重扰民',
  '我是星河湾小区的业主，小区东侧不到一百米新建了一座搅拌站，每天从早上六点一直响到晚上十点，'
  + '粉尘很大，窗户都不敢开，孩子咳嗽不停。请环保部门和城管尽快调查处理，这个搅拌站有没有审批手续？'.repeat(3),
);

describe('rawFeatures', () => {
  it('counts character bigrams and trigrams, title n-grams more', () => {
    const raw = rawFeatures(report('油烟扰民', '楼下油烟'));
    const tf = (g: string) => raw.ngrams.tf[raw.ngrams.indexOf(g)];
    expect(tf('油烟')).toBe(DEFAULT_FEATURE_OPTIONS.titleBoost + 1);
    expect(tf('烟扰民')).toBe(DEFAULT_FEATURE_OPTIONS.titleBoost);
    expect(raw.ngrams.indexOf('楼下油')).toBeGreaterThanOrEqual(0);
    expect(raw.ngrams.indexOf('油烟扰民')).toBe(-1);
    expect(raw.ngrams.inTitle[raw.ngrams.indexOf('扰民')]).toBe(1);
    expect(raw.ngrams.inTitle[raw.ngrams.indexOf('楼下')]).toBe(0);
  });

  it('reads the township and subject the source states', () => {
    const raw = rawFeatures({ ...report('路灯不亮', '小区门口路灯坏了一个月'), township: '暮云街道', subject: '区城市管理和综合执法局' });
    expect(raw.keyFeatures).toContain('township:暮云');
    expect(raw.keys.subjects).toContain('urban');
  });

  it('adds the extracted keys as typed features', () => {
    const raw = rawFeatures(report('投诉星河湾小区搅拌站', '暮云街道星河湾小区，电话13912345678'));
    expect(raw.keyFeatures).toEqual(expect.arrayContaining(['place:星河湾', 'township:暮云', 'phone:13912345678']));
    expect(featureNames(raw)).toEqual(expect.arrayContaining(['place:星河湾', '搅拌站']));
  });
});

describe('weigh', () => {
  it('weighs rare features above common ones', () => {
    expect(idf(1, 1000)).toBeGreaterThan(idf(100, 1000));
    expect(isNoise(500, 1000)).toBe(true);
    expect(isNoise(5, 1000)).toBe(false);
  });

  it('keeps the posting rows bounded and leaves noise out', () => {
    const raw = rawFeatures(long);
    const df = new Map<string, number>([['小区', 900], ['搅拌站', 3], ['place:星河湾', 2]]);
    const w = weigh(raw, long.reportedAt, df, 1000);
    expect(w.write.postings.length).toBeLessThanOrEqual(MAX_POSTINGS);
    expect(w.write.postings.map((p) => p.feature)).not.toContain('小区');
    expect(w.lookup.map((l) => l.feature)).toContain('place:星河湾');
    expect(w.lookup.map((l) => l.feature)).toContain('搅拌站');
    expect(w.lookup.map((l) => l.feature)).not.toContain('小区');
    expect([...w.write.docHashes]).toEqual(expect.arrayContaining(['小区', '搅拌站', 'place:星河湾'].map((f) => hash32(f))));
    expect(w.write.fingerprint.vector.length).toBeLessThan(raw.ngrams.size);
    expect(featureHashes(raw)).toEqual(hashAll(featureNames(raw)));
  });

  it('marks places named in the title or twice as salient', () => {
    const w = weigh(rawFeatures(long), long.reportedAt, new Map(), 0);
    expect(w.query.places).toContainEqual({ name: '星河湾', kind: 'estate', salient: true });
  });
});

describe('cosine', () => {
  it('is 1 for the same report, symmetric, and near 0 for unrelated reports', () => {
    // Short texts: the stored fingerprint holds every n-gram, as the query does.
    const df = new Map<string, number>();
    const one = report('搅拌站噪音扰民', '星河湾小区旁的搅拌站夜间施工');
    const other = report('出租车燃油补贴何时发放', '二零一七年度的补贴至今没有发到驾驶员手中');
    const a = weigh(rawFeatures(one), one.reportedAt, df, 10);
    const b = weigh(rawFeatures(other), other.reportedAt, df, 10);
    const [fa, fb] = [packFingerprint(a.write.fingerprint), packFingerprint(b.write.fingerprint)];
    expect(cosine(a.query, fa)).toBeCloseTo(1, 3);
    expect(cosine(a.query, fb)).toBeCloseTo(cosine(b.query, fa), 9);
    expect(cosine(a.query, fb)).toBeLessThan(0.05);
  });

  it('weighs a map of document frequencies as the counts in feature order', () => {
    const raw = rawFeatures(long);
    const df = new Map<string, number>([['小区', 900], ['搅拌站', 3], ['place:星河湾', 2]]);
    const byMap = weigh(raw, long.reportedAt, df, 1000);
    const byCounts = weigh(raw, long.reportedAt, countsOf(raw, df), 1000);
    expect(byCounts.write).toEqual(byMap.write);
    expect(byCounts.lookup).toEqual(byMap.lookup);
    expect(byCounts.write.docHashes).toEqual(hashAll(featureNames(raw)).slice().sort().filter((h, i, all) => i === 0 || all[i - 1] !== h));
  });
});

describe('heaviestFirst', () => {
  it('orders by weight, heaviest first, and keeps equal weights in their own order', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 60_000 }).map((m) => m / 1000), { maxLength: 3000 }), (weights) => {
      const expected = weights.map((w, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
      expect(Array.from(heaviestFirst(weights))).toEqual(expected);
    }), { numRuns: 100 });
    const many = Array.from({ length: 9000 }, (_, i) => (i % 7) / 2);
    const order = Array.from(heaviestFirst(many));
    expect(order.slice(0, 3)).toEqual([6, 13, 20]);
    expect(order).toHaveLength(9000);
  });
});
