import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountMinSketch, documentHashes, hash32, hashAll } from './sketch.ts';

describe('count-min sketch of document frequencies', () => {
  it('never counts fewer documents than hold a feature, and counts each document once', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.string({ maxLength: 4 }), { maxLength: 30 }), { maxLength: 40 }), (docs) => {
      const sketch = new CountMinSketch(8);
      const exact = new Map<string, number>();
      for (const d of docs) {
        sketch.addDocument(d);
        for (const f of new Set(d)) exact.set(f, (exact.get(f) ?? 0) + 1);
      }
      expect(sketch.docs).toBe(docs.length);
      for (const [f, n] of exact) expect(sketch.count(f)).toBeGreaterThanOrEqual(n);
    }), { numRuns: 200 });
  });

  it('is exact while the features are few for its size', () => {
    const sketch = new CountMinSketch(16);
    sketch.addDocument(['金桂苑', '占道', '占道']);
    sketch.addDocument(['金桂苑', '噪音']);
    expect(sketch.count('金桂苑')).toBe(2);
    expect(sketch.count('占道')).toBe(1);
    expect(sketch.count('银杏')).toBe(0);
    expect([...sketch.countHashes(hashAll(['金桂苑', '银杏', '噪音']))]).toEqual([2, 0, 1]);
  });

  it('counts a document logged as hashes the same as one given as features', () => {
    const a = new CountMinSketch(12);
    const b = new CountMinSketch(12);
    const features = ['place:金桂苑', '占道经', '经营', '经营'];
    a.addDocument(features);
    b.addHashes(documentHashes(features));
    expect(b.counters).toEqual(a.counters);
    expect(documentHashes(features)).toHaveLength(3);
    expect(hash32('经营')).toBe(hash32('经营'));
    expect(hash32('经营')).not.toBe(hash32('营经'));
  });

  it('round-trips through stored parts, and refuses parts of the wrong size', () => {
    const sketch = new CountMinSketch(10);
    for (let i = 0; i < 50; i++) sketch.addDocument([`f${i}`, `f${i % 7}`]);
    const parts = sketch.toParts(4).map((p) => Uint8Array.from(p));
    const back = CountMinSketch.fromParts(10, parts, sketch.docs);
    expect(back.counters).toEqual(sketch.counters);
    expect(back.docs).toBe(50);
    expect(back.count('f3')).toBe(sketch.count('f3'));
    expect(() => CountMinSketch.fromParts(10, parts.slice(1), 50)).toThrow(/bytes/);
    expect(() => new CountMinSketch(4)).toThrow(RangeError);
  });
});
