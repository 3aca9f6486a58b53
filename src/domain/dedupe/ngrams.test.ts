import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ngrams, gramCode } from './ngrams.ts';
import { hash32 } from './sketch.ts';

/** The n-grams as strings, the plain way: bigrams then trigrams of each run, by code points. */
function naive(runs: { text: string; times: number; title: boolean }[]) {
  const out = new Map<string, { tf: number; title: boolean }>();
  for (const run of runs) {
    const chars = Array.from(run.text);
    for (const n of [2, 3]) {
      for (let i = 0; i + n <= chars.length; i++) {
        const g = chars.slice(i, i + n).join('');
        const e = out.get(g) ?? { tf: 0, title: false };
        e.tf += run.times;
        e.title ||= run.title;
        out.set(g, e);
      }
    }
  }
  return out;
}

const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'小区城管占道经营油烟扰民路灯'), maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('Ngrams', () => {
  it('counts what the plain string way counts, in the same order, with the same hashes', () => {
    fc.assert(fc.property(text, text, (title, content) => {
      const all = `${title} ${content}`;
      const grams = new Ngrams(all);
      grams.addRun(0, title.length, 2, true);
      grams.addRun(title.length + 1, all.length, 1, false);
      const expected = naive([{ text: title, times: 2, title: true }, { text: content, times: 1, title: false }]);
      expect(Array.from({ length: grams.size }, (_, i) => grams.gram(i))).toEqual([...expected.keys()]);
      for (let i = 0; i < grams.size; i++) {
        const g = grams.gram(i);
        expect(grams.tf[i]).toBe(expected.get(g)!.tf);
        expect(grams.inTitle[i] === 1).toBe(expected.get(g)!.title);
        expect(grams.hashes[i]).toBe(hash32(g));
        expect(grams.indexOf(g)).toBe(i);
      }
    }), { numRuns: 300 });
  });

  it('tells n-grams it does not hold', () => {
    const grams = new Ngrams('油烟扰民');
    grams.addRun(0, 4, 1, false);
    expect(grams.size).toBe(5);
    expect(grams.indexOf('扰民')).toBeGreaterThanOrEqual(0);
    expect(grams.indexOf('民油')).toBe(-1);
    expect(grams.indexOf('油烟扰民')).toBe(-1);
  });

  it('tells apart n-grams under one hash: by their code up to three code units, by their text beyond', () => {
    const text = '油烟扰民𠀋𠀋𠀋';
    const grams = new Ngrams(text);
    grams.addRun(0, text.length, 1, false);
    const i = grams.indexOf('扰民');
    const h = grams.hashes[i]!;
    expect(grams.findCoded(h, gramCode('扰民', 0, 2), '扰民', 0, 2)).toBe(i);
    expect(grams.findCoded(h, gramCode('民油', 0, 2), '民油', 0, 2)).toBe(-1);
    expect(grams.findIn(h, 'x民油', 1, 3)).toBe(-1);
    const j = grams.indexOf('𠀋𠀋');
    const hj = grams.hashes[j]!;
    expect(gramCode('𠀋𠀋', 0, 4)).toBe(-1);
    expect(grams.findCoded(hj, -1, '𠀋𠀋', 0, 4)).toBe(j);
    expect(grams.findCoded(hj, -1, '𠀌𠀋', 0, 4)).toBe(-1);
    expect(grams.findCoded(hj, -1, '𠀋𠀋𠀋', 0, 6)).toBe(-1);
  });

  it('codes n-grams of up to three code units one to one', () => {
    const short = fc.string({ unit: 'binary', maxLength: 3 }).filter((x) => x.length <= 3);
    fc.assert(fc.property(short, short, (a, b) => {
      expect(gramCode(a, 0, a.length) === gramCode(b, 0, b.length)).toBe(a === b);
      expect(Number.isSafeInteger(gramCode(a, 0, a.length))).toBe(true);
    }), { numRuns: 5000 });
    expect(gramCode('\uffff\uffff\uffff', 0, 3)).toBeLessThan(2 ** 53);
  });
});
