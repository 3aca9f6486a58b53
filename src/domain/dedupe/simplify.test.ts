import fc from 'fast-check';
import { Converter } from 'opencc-js/t2cn';
import { describe, expect, it } from 'vitest';
import { changingEntries, mayChange, simplified } from './simplify.ts';

const opencc = Converter({ from: 't', to: 'cn' });
const entries = changingEntries().map(([from]) => from.join(''));

describe('simplified', () => {
  it('converts traditional characters and phrases as OpenCC does', () => {
    expect(simplified('臺灣的髮型、頭髮')).toBe('台湾的发型、头发');
    expect(simplified('一目瞭然，反覆')).toBe(opencc('一目瞭然，反覆'));
    expect(simplified('什么小区')).toBe('什么小区');
  });

  it('finds a witness in every dictionary entry that changes what it matches, alone and in a text', () => {
    expect(entries.length).toBeGreaterThan(3000);
    const missed = entries.filter((e) => !mayChange(e) || !mayChange(`小区${e}门口`));
    expect(missed).toEqual([]);
  });

  it('skips only texts that the converter leaves unchanged', () => {
    // Characters of the entries (many of them also plain simplified ones) and common simplified text.
    const pool = [...new Set([...entries.slice(0, 400).join(''), ...'什么小区街道路口坏土一目了然反复回复以免借口，。 ab1'])];
    const text = fc.array(fc.constantFrom(...pool), { maxLength: 40 }).map((cs) => cs.join(''));
    fc.assert(fc.property(fc.oneof(text, fc.string(), fc.constantFrom(...entries)), (s) => mayChange(s) || opencc(s) === s), { numRuns: 3000 });
    fc.assert(fc.property(fc.oneof(text, fc.string()), (s) => simplified(s) === opencc(s)), { numRuns: 1000 });
  });
});
