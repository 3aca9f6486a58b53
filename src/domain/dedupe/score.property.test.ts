// scoreLead compares up to 80 stored reports per look-up without building lists, and compares
// place names in place (decide.ts). This pins it to the plain version it replaced, written here as
// the reference (it shares only decide.ts's stem and pinsDown): the same score and the same
// explanation for any places, townships, subjects, contacts, names and times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_WEIGHTS, pinsDown, samePlace, scoreLead, stem, type ScoreDetail, type ScoreWeights } from './decide.ts';
import { cosine, packFingerprint, rawFeatures, weigh, type QueryReport } from './features.ts';
import type { FingerprintPlace, PlaceKind, ScoringFingerprint } from './port.ts';

function refSharesRun(a: string, b: string, n: number): boolean {
  const x = Array.from(a);
  for (let i = 0; i + n <= x.length; i++) if (b.includes(x.slice(i, i + n).join(''))) return true;
  return false;
}

function refSamePlace(a: FingerprintPlace, b: FingerprintPlace): boolean {
  if (a.name === b.name) return true;
  const [short, long] = a.name.length <= b.name.length ? [a.name, b.name] : [b.name, a.name];
  if (short.length >= 3 && long.includes(short)) return true;
  if (a.kind === 'road' || b.kind === 'road') return false;
  return refSharesRun(a.name, b.name, 3) && refSharesRun(stem(a.name), stem(b.name), 2);
}

const intersect = (a: string[], b: string[]) => a.filter((x) => b.includes(x));

function refScoreReport(q: QueryReport, r: ScoringFingerprint, windowDays: number, w: ScoreWeights): Omit<ScoreDetail, 'leadId'> {
  const text = cosine(q, r);
  const sharedPlaces = [...new Set([
    ...q.places.filter((p) => r.places.some((o) => refSamePlace(p, o))).map((p) => p.name),
    ...r.places.filter((p) => p.name.length >= 3 && q.text.includes(p.name)).map((p) => p.name),
  ])];
  const salientShared = q.places.some((p) => p.salient && r.places.some((o) => o.salient && refSamePlace(p, o)))
    || r.places.some((p) => p.salient && p.name.length >= 3 && q.text.includes(p.name));
  const qSpecific = q.places.filter(pinsDown);
  const rSpecific = r.places.filter(pinsDown);
  const placeConflict = qSpecific.some((p) => {
    const mine = qSpecific.filter((x) => x.kind === p.kind);
    const theirs = rSpecific.filter((x) => x.kind === p.kind);
    return theirs.length > 0 && !mine.some((x) => theirs.some((y) => refSamePlace(x, y)))
      && !theirs.some((y) => q.text.includes(y.name));
  });
  const sameTownship = intersect(q.townships, r.townships);
  const otherTownship = q.townships.length > 0 && r.townships.length > 0 && sameTownship.length === 0;
  const sameSubject = intersect(q.subjects, r.subjects);
  const sharedContact = [...intersect(q.phones, r.phones), ...intersect(q.orders, r.orders)];
  const personConflict = q.persons.length > 0 && r.persons.length > 0 && intersect(q.persons, r.persons).length === 0;
  const gapDays = Math.abs(Date.parse(q.reportedAt) - Date.parse(r.reportedAt)) / 86_400_000;
  let score = text;
  if (sharedPlaces.length) score += w.sharedPlace;
  if (salientShared) score += w.sharedSalientPlace;
  if (sharedContact.length) score += w.sharedContact;
  if (sameTownship.length) score += w.sameTownship;
  if (otherTownship) score -= w.otherTownship;
  if (sameSubject.length) score += w.sameSubject;
  score *= 1 - w.timeDecay * Math.min(1, gapDays / windowDays);
  if (placeConflict) score *= w.conflictFactor;
  score = Math.max(0, Math.min(1, score));
  return { score, text, sharedPlaces, placeConflict, sameTownship, otherTownship, sameSubject, sharedContact, personConflict, gapDays };
}

// Names that contain each other, share runs or only a kind word, and short random ones from few
// characters (one outside the BMP, so that runs are taken by code points too).
const name = fc.oneof(
  fc.constantFrom('丽发新城', '丽发', 'a2区丽发新城', '武广新城', '保利香槟国际', '利保香槟国际', '香槟国际', '香槟国', '劳动东路', '劳动西路', '𠀋丽发新城'),
  fc.string({ unit: fc.constantFrom(...'丽发新城保利香槟国际武广小区路村', '𠀋'), minLength: 1, maxLength: 7 }),
);
const place = fc.record({
  name, kind: fc.constantFrom<PlaceKind>('estate', 'road', 'company', 'school', 'market', 'village', 'site'), salient: fc.boolean(),
});
const few = (arb: fc.Arbitrary<string>) => fc.array(arb, { maxLength: 3 });
const keys = fc.record({
  places: fc.array(place, { maxLength: 4 }),
  townships: few(fc.constantFrom('梅湾', '珊瑚', '凤凰')),
  subjects: few(fc.constantFrom('urban', 'market')),
  persons: few(fc.constantFrom('张三', '李四')),
  phones: few(fc.constantFrom('13800000000', '13900000000')),
  orders: few(fc.constantFrom('gd001', 'gd002')),
  day: fc.integer({ min: 0, max: 120 }),
  wording: fc.integer({ min: 0, max: 2 }),
});
const WORDINGS = ['丽发新城小区门口占道经营', '保利香槟国际工地夜间施工', '武广路渣土车抛洒'];

function report(k: typeof keys extends fc.Arbitrary<infer T> ? T : never, extra: string) {
  const reportedAt = new Date(Date.UTC(2026, 0, 1) + k.day * 86_400_000).toISOString();
  const raw = rawFeatures({ title: WORDINGS[k.wording]!, content: `${WORDINGS[k.wording]!}${extra}`, reportedAt });
  const { query, write } = weigh(raw, reportedAt, new Uint32Array(raw.ngrams.size + raw.keyFeatures.length), 100);
  const { places, townships, subjects, persons, phones, orders } = k;
  return { query: { ...query, places, townships, subjects, persons, phones, orders }, stored: { ...packFingerprint(write.fingerprint), places, townships, subjects, persons, phones, orders } };
}

describe('scoreLead', () => {
  it('scores and explains as the plain version does', () => {
    fc.assert(fc.property(keys, fc.array(keys, { minLength: 1, maxLength: 4 }), name, (mine, theirs, extra) => {
      const q = report(mine, extra).query;
      const reports = theirs.map((k) => report(k, '').stored);
      const got = scoreLead(q, { leadId: 'L1', reports }, 90);
      // The best report, the first of equals (newest first).
      let best: Omit<ScoreDetail, 'leadId'> | undefined;
      for (const r of reports) {
        const s = refScoreReport(q, r, 90, DEFAULT_SCORE_WEIGHTS);
        if (!best || s.score > best.score) best = s;
      }
      expect(got).toEqual({ leadId: 'L1', ...best });
    }), { numRuns: 2000 });
  });

  it('matches places as the plain version does', () => {
    fc.assert(fc.property(place, place, (a, b) => {
      expect(samePlace(a, b)).toBe(refSamePlace(a, b));
    }), { numRuns: 5000 });
  });
});
