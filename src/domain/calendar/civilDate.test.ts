import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, assertIsoDate, dayOfWeek, fromDayNumber, isIsoDate, isWeekend, toDayNumber } from './civilDate.ts';

describe('civil dates', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-1')).toBe(false);
    expect(isIsoDate('2026-02-14T00:00:00Z')).toBe(false);
    expect(() => assertIsoDate('2026-13-01')).toThrow(RangeError);
  });

  it('knows the day of the week', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('2026-02-14')).toBe(6);
    expect(dayOfWeek('2026-10-01')).toBe(4);
    expect(isWeekend('2026-02-15')).toBe(true);
    expect(isWeekend('2026-02-13')).toBe(false);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-02-13', 27)).toBe('2026-03-12');
  });

  it('round-trips day numbers', () => {
    fc.assert(fc.property(fc.integer({ min: -300_000, max: 2_900_000 }), (n) => {
      expect(toDayNumber(fromDayNumber(n))).toBe(n);
    }));
  });
});
