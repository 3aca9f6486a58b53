import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PER_FEATURE, PostingWindow } from './postingWindow.ts';

describe('posting window', () => {
  it('finds the leads posted under the asked features inside the window, most hits first, then the newest', () => {
    const w = new PostingWindow();
    w.add('r1', 'L1', '2026-03-01T00:00:00.000Z', ['place:金桂苑', '占道', '噪音']);
    w.add('r2', 'L2', '2026-03-03T00:00:00.000Z', ['place:金桂苑', '占道']);
    w.add('r3', 'L3', '2026-03-02T00:00:00.000Z', ['place:金桂苑', '占道']); // arrives out of time order
    w.add('r0', 'L0', '2025-11-01T00:00:00.000Z', ['place:金桂苑', '占道', '噪音']); // before the window
    const hits = w.candidates(['place:金桂苑', '占道', '噪音', '没有'], '2026-02-01T00:00:00.000Z', 10);
    expect(hits).toEqual([
      { leadId: 'L1', hits: ['place:金桂苑', '占道', '噪音'] },
      { leadId: 'L2', hits: ['place:金桂苑', '占道'] },
      { leadId: 'L3', hits: ['place:金桂苑', '占道'] },
    ]);
    expect(w.candidates(['place:金桂苑'], '2026-02-01T00:00:00.000Z', 1)).toEqual([{ leadId: 'L2', hits: ['place:金桂苑'] }]);
    w.add('r4', 'L1', '2026-03-04T00:00:00.000Z', ['占道']);
    expect(w.reportsOf('L1', '2026-02-01T00:00:00.000Z', 8)).toEqual(['r4', 'r1']);
    expect(w.reportsOf('L1', '2026-02-01T00:00:00.000Z', 1)).toEqual(['r4']);
    expect(w.reportsOf('L0', '2026-02-01T00:00:00.000Z', 8)).toEqual([]);
  });

  it('counts a lead once per feature however many of its reports carry it, and ignores a report added twice', () => {
    const w = new PostingWindow();
    w.add('r1', 'L1', '2026-03-01T00:00:00.000Z', ['占道', '占道']);
    w.add('r2', 'L1', '2026-03-02T00:00:00.000Z', ['占道']);
    w.add('r2', 'L9', '2026-03-02T00:00:00.000Z', ['占道']);
    expect(w.candidates(['占道'], '2026-01-01T00:00:00.000Z', 5)).toEqual([{ leadId: 'L1', hits: ['占道'] }]);
    expect(w.size()).toEqual({ reports: 2, features: 1, entries: 2 });
  });

  it('forgets what is older than a prune', () => {
    const w = new PostingWindow();
    w.add('old', 'L1', '2026-01-01T00:00:00.000Z', ['a', 'b']);
    w.add('new', 'L2', '2026-03-01T00:00:00.000Z', ['b']);
    expect(w.prune('2026-02-01T00:00:00.000Z')).toBe(2);
    expect(w.size()).toEqual({ reports: 1, features: 1, entries: 1 });
    expect(w.has('old')).toBe(false);
    expect(w.reportsOf('L1', '2025-01-01T00:00:00.000Z', 8)).toEqual([]);
    expect(w.candidates(['a', 'b'], '2025-01-01T00:00:00.000Z', 5)).toEqual([{ leadId: 'L2', hits: ['b'] }]);
  });

  it('reads only the newest reports of a feature that very many reports in the window were posted under', () => {
    const w = new PostingWindow();
    const at = (i: number) => new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString();
    for (let i = 0; i < PER_FEATURE + 10; i++) w.add(`r${i}`, `L${i}`, at(i), ['常见']);
    w.add('rare', 'L0', at(0), ['罕见']);
    const hits = w.candidates(['常见', '罕见'], '2026-01-01T00:00:00.000Z', 1_000);
    expect(hits).toHaveLength(PER_FEATURE + 1);
    // L0's 常见 posting is among the oldest: it is found through 罕见 alone.
    expect(hits.find((h) => h.leadId === 'L0')).toEqual({ leadId: 'L0', hits: ['罕见'] });
    expect(hits.some((h) => h.leadId === 'L5')).toBe(false);
    expect(hits.some((h) => h.leadId === `L${PER_FEATURE + 9}`)).toBe(true);
  });

  it('lists the same leads in the same order whatever the limit, the most hits first', () => {
    const post = fc.record({
      lead: fc.integer({ min: 0, max: 30 }), minute: fc.integer({ min: 0, max: 500 }),
      features: fc.uniqueArray(fc.constantFrom('甲', '乙', '丙', '丁', '戊'), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(fc.property(fc.array(post, { maxLength: 120 }), fc.integer({ min: 1, max: 40 }), (posts, limit) => {
      const w = new PostingWindow();
      posts.forEach((p, i) => w.add(`r${i}`, `L${p.lead}`, new Date(Date.UTC(2026, 2, 1) + p.minute * 60_000).toISOString(), p.features));
      const all = w.candidates(['甲', '乙', '丙', '丁'], '2026-03-01T02:00:00.000Z', 1_000);
      expect(w.candidates(['甲', '乙', '丙', '丁'], '2026-03-01T02:00:00.000Z', limit)).toEqual(all.slice(0, limit));
      for (let i = 1; i < all.length; i++) expect(all[i]!.hits.length).toBeLessThanOrEqual(all[i - 1]!.hits.length);
      expect(new Set(all.map((h) => h.leadId)).size).toBe(all.length);
    }), { numRuns: 200 });
  });

  it('finds what a plain search of every posting finds, before and after a prune', () => {
    const post = fc.record({
      lead: fc.integer({ min: 0, max: 20 }), minute: fc.integer({ min: 0, max: 500 }),
      features: fc.uniqueArray(fc.constantFrom('甲', '乙', '丙', '丁', '戊'), { minLength: 1, maxLength: 4 }),
    });
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 1) + minute * 60_000).toISOString();
    fc.assert(fc.property(
      fc.array(post, { maxLength: 80 }), fc.array(post, { maxLength: 40 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: 1, max: 30 }),
      (before, after, cutMinute, sinceMinute, limit) => {
        const w = new PostingWindow();
        const kept: { id: string; lead: string; at: string; features: string[] }[] = [];
        before.forEach((p, i) => {
          w.add(`a${i}`, `L${p.lead}`, at(p.minute), p.features);
          kept.push({ id: `a${i}`, lead: `L${p.lead}`, at: at(p.minute), features: p.features });
        });
        w.prune(at(cutMinute));
        after.forEach((p, i) => {
          w.add(`b${i}`, `L${p.lead + 10}`, at(p.minute), p.features);
          kept.push({ id: `b${i}`, lead: `L${p.lead + 10}`, at: at(p.minute), features: p.features });
        });
        const since = at(sinceMinute);
        const asked = ['甲', '乙', '丙', '丁'];
        const visible = kept.filter((r) => r.at >= since && (r.id.startsWith('b') || r.at >= at(cutMinute)));
        const byLead = new Map<string, { hits: string[]; last: string }>();
        for (const f of asked) {
          for (const r of visible.filter((x) => x.features.includes(f))) {
            const e = byLead.get(r.lead) ?? { hits: [], last: r.at };
            if (e.hits[e.hits.length - 1] !== f) e.hits.push(f);
            if (r.at > e.last) e.last = r.at;
            byLead.set(r.lead, e);
          }
        }
        const expected = [...byLead]
          .sort(([a, x], [b, y]) => y.hits.length - x.hits.length || (x.last < y.last ? 1 : x.last > y.last ? -1 : a < b ? -1 : 1))
          .slice(0, limit).map(([leadId, e]) => ({ leadId, hits: e.hits }));
        expect(w.candidates(asked, since, limit)).toEqual(expected);
      },
    ), { numRuns: 300 });
  });
});
