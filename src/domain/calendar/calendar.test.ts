import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, type PublishedCalendar } from './calendar.ts';
import { chineseDaysCalendar, chineseWorkingCalendar } from './chineseDays.ts';
import { addDays, fromDayNumber, toDayNumber } from './civilDate.ts';
import type { CalendarOverrides } from './overrides.ts';

const published = chineseDaysCalendar();
const china = chineseWorkingCalendar();

// Dates from 2003 (before chinese-days' data) to 2028 (after it).
const dateArb = fc
  .integer({ min: toDayNumber('2003-01-01'), max: toDayNumber('2028-12-31') })
  .map(fromDayNumber);
const overridesArb: fc.Arbitrary<CalendarOverrides> = fc
  .array(fc.tuple(dateArb, fc.constantFrom('work' as const, 'rest' as const)), { maxLength: 40 })
  .map((entries) => {
    const byYear = new Map<number, Record<string, 'work' | 'rest'>>();
    for (const [d, k] of entries) {
      const y = Number(d.slice(0, 4));
      byYear.set(y, { ...byYear.get(y), [d]: k });
    }
    return [...byYear].map(([year, days]) => ({ year, days }));
  });

describe('WorkingCalendar on the published 2026 calendar', () => {
  it('counts the make-up Saturday before Spring Festival as the first working day', () => {
    expect(china.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(china.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(china.addWorkingDays('2026-02-13', 15)).toBe('2026-03-12');
  });

  it('skips National Day', () => {
    expect(china.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(china.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
    expect(china.addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
    expect(china.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(china.workingDaysBetween('2026-10-10', '2026-09-30')).toBe(-3);
    expect(china.workingDaysBetween('2026-10-01', '2026-10-07')).toBe(0);
  });

  it('returns the date itself for 0 working days and refuses fractions', () => {
    expect(china.addWorkingDays('2026-02-15', 0)).toBe('2026-02-15');
    expect(() => china.addWorkingDays('2026-02-13', 1.5)).toThrow(RangeError);
    expect(() => china.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('reports the years it does not cover', () => {
    expect(china.isCoveredYear(2026)).toBe(true);
    expect(china.isProvisional('2026-12-31')).toBe(false);
    expect(china.isProvisional('2027-01-04')).toBe(true);
    expect(china.isProvisional('2003-06-01')).toBe(true);
    expect(china.uncoveredYears('2028-03-01', '2026-05-01')).toEqual([2027, 2028]);
    // An uncovered year is counted Monday to Friday: 2027-01-01 is a Friday.
    expect(china.isWorkingDay('2027-01-01')).toBe(true);
  });
});

describe('overrides', () => {
  it('win over the published data in both directions', () => {
    const cal = chineseWorkingCalendar([{ year: 2026, days: { '2026-02-14': 'rest', '2026-02-16': 'work' } }]);
    expect(cal.isWorkingDay('2026-02-14')).toBe(false);
    expect(cal.isWorkingDay('2026-02-16')).toBe(true);
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-16');
  });

  it('make a year covered only when marked published', () => {
    const local = chineseWorkingCalendar([{ year: 2027, days: { '2027-01-01': 'rest' } }]);
    expect(local.isCoveredYear(2027)).toBe(false);
    expect(local.isWorkingDay('2027-01-01')).toBe(false);
    const announced = chineseWorkingCalendar([{ year: 2027, published: true, days: { '2027-01-01': 'rest' } }]);
    expect(announced.isCoveredYear(2027)).toBe(true);
    expect(announced.coveredYears().at(-1)).toBe(2027);
    // A local table never un-covers a published year.
    expect(chineseWorkingCalendar([{ year: 2026, published: false, days: {} }]).isCoveredYear(2026)).toBe(true);
  });

  it('take precedence over any published data (property)', () => {
    const randomPublished = fc.record({
      holidays: fc.array(dateArb, { maxLength: 60 }),
      workdays: fc.array(dateArb, { maxLength: 30 }),
      coveredYears: fc.array(fc.integer({ min: 2003, max: 2028 }), { maxLength: 5 }),
    }) satisfies fc.Arbitrary<PublishedCalendar>;
    fc.assert(fc.property(randomPublished, overridesArb, (pub, overrides) => {
      const cal = createWorkingCalendar(pub, overrides);
      for (const table of overrides) {
        for (const [date, kind] of Object.entries(table.days)) expect(cal.isWorkingDay(date)).toBe(kind === 'work');
      }
    }));
  });

  it('leave every other date as published (property)', () => {
    fc.assert(fc.property(overridesArb, dateArb, (overrides, date) => {
      const listed = overrides.some((t) => date in t.days);
      fc.pre(!listed);
      expect(createWorkingCalendar(published, overrides).isWorkingDay(date)).toBe(china.isWorkingDay(date));
    }));
  });
});

describe('addWorkingDays properties', () => {
  const calArb = overridesArb.map((o) => createWorkingCalendar(published, o));
  const nArb = fc.integer({ min: 1, max: 60 });

  it('lands on a working day at least n calendar days later, n working days away', () => {
    fc.assert(fc.property(calArb, dateArb, nArb, (cal, d, n) => {
      const r = cal.addWorkingDays(d, n);
      expect(cal.isWorkingDay(r)).toBe(true);
      expect(toDayNumber(r) - toDayNumber(d)).toBeGreaterThanOrEqual(n);
      expect(cal.workingDaysBetween(d, r)).toBe(n);
      expect(cal.workingDaysBetween(d, addDays(r, -1))).toBe(n - 1);
    }));
  });

  it('is strictly monotonic in n', () => {
    fc.assert(fc.property(calArb, dateArb, nArb, nArb, (cal, d, a, b) => {
      fc.pre(a !== b);
      const [lo, hi] = a < b ? [a, b] : [b, a];
      expect(toDayNumber(cal.addWorkingDays(d, lo))).toBeLessThan(toDayNumber(cal.addWorkingDays(d, hi)));
    }));
  });

  it('is monotonic in the date', () => {
    fc.assert(fc.property(calArb, dateArb, dateArb, nArb, (cal, a, b, n) => {
      const [lo, hi] = toDayNumber(a) <= toDayNumber(b) ? [a, b] : [b, a];
      expect(toDayNumber(cal.addWorkingDays(lo, n))).toBeLessThanOrEqual(toDayNumber(cal.addWorkingDays(hi, n)));
    }));
  });

  it('counts backwards the same way', () => {
    fc.assert(fc.property(calArb, dateArb, nArb, (cal, d, n) => {
      const back = cal.addWorkingDays(d, -n);
      expect(cal.isWorkingDay(back)).toBe(true);
      // (back, d] holds the n - 1 working days between them, and d itself when it is one.
      expect(cal.workingDaysBetween(back, d)).toBe(n - 1 + (cal.isWorkingDay(d) ? 1 : 0));
      if (cal.isWorkingDay(d)) expect(cal.addWorkingDays(back, n)).toBe(d);
    }));
  });
});
