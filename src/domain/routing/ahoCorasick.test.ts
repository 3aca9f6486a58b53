import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildAhoCorasick, type Match } from './ahoCorasick.ts';

function naive(patterns: readonly string[], text: string): Match[] {
  const out: Match[] = [];
  patterns.forEach((p, pattern) => {
    if (!p) return;
    for (let i = text.indexOf(p); i !== -1; i = text.indexOf(p, i + 1)) {
      out.push({ pattern, start: i, end: i + p.length });
    }
  });
  return out;
}

const order = (a: Match, b: Match) => a.end - b.end || a.start - b.start || a.pattern - b.pattern;

describe('buildAhoCorasick', () => {
  it('finds overlapping and nested Chinese phrases in one pass', () => {
    const ac = buildAhoCorasick(['城管', '城管局', '管局', '占道经营', '经营']);
    const found = ac.findAll('区城管局执法队员查处占道经营').map((m) => ac.patterns[m.pattern]);
    expect(found).toEqual(['城管', '城管局', '管局', '占道经营', '经营']);
  });

  it('reports start and end offsets', () => {
    const ac = buildAhoCorasick(['he', 'she', 'his', 'hers']);
    expect(ac.findAll('ushers').sort(order)).toEqual([
      { pattern: 1, start: 1, end: 4 },
      { pattern: 0, start: 2, end: 4 },
      { pattern: 3, start: 2, end: 6 },
    ]);
  });

  it('ignores empty patterns and reports duplicates', () => {
    const ac = buildAhoCorasick(['', '罚款', '罚款']);
    expect(ac.findAll('乱罚款').map((m) => m.pattern).sort()).toEqual([1, 2]);
    expect(buildAhoCorasick([]).findAll('任何文本')).toEqual([]);
  });

  it('handles surrogate pairs as plain code units', () => {
    const ac = buildAhoCorasick(['𠮷野', '野家']);
    expect(ac.findAll('𠮷野家').map((m) => [m.start, m.end])).toEqual([[0, 3], [2, 4]]);
  });

  it('agrees with a naive search on random inputs', () => {
    const alpha = fc.constantFrom('a', 'b', 'c', '罚', '款');
    const word = fc.array(alpha, { minLength: 0, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), fc.array(alpha, { maxLength: 40 }), (patterns, t) => {
        const text = t.join('');
        const ac = buildAhoCorasick(patterns);
        expect(ac.findAll(text).sort(order)).toEqual(naive(patterns, text).sort(order));
      }),
      { numRuns: 500 },
    );
  });
});
