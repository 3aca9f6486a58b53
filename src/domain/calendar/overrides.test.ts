import { describe, expect, it } from 'vitest';
import { calendarOverridesSchema, yearOverridesSchema } from './overrides.ts';

describe('override table schema', () => {
  it('accepts a year table', () => {
    const table = { year: 2027, published: true, days: { '2027-02-06': 'rest', '2027-02-14': 'work' }, note: '国办发明电' };
    expect(yearOverridesSchema.parse(table)).toEqual(table);
  });

  it('refuses dates outside the year, bad dates, bad kinds and unknown keys', () => {
    expect(yearOverridesSchema.safeParse({ year: 2027, days: { '2026-12-31': 'rest' } }).success).toBe(false);
    expect(yearOverridesSchema.safeParse({ year: 2027, days: { '2027-02-30': 'rest' } }).success).toBe(false);
    expect(yearOverridesSchema.safeParse({ year: 2027, days: { '2027-02-01': 'holiday' } }).success).toBe(false);
    expect(yearOverridesSchema.safeParse({ year: 2027, days: {}, extra: 1 }).success).toBe(false);
  });

  it('refuses two tables for one year', () => {
    expect(calendarOverridesSchema.safeParse([{ year: 2027, days: {} }, { year: 2027, days: {} }]).success).toBe(false);
    expect(calendarOverridesSchema.safeParse([{ year: 2027, days: {} }, { year: 2028, days: {} }]).success).toBe(true);
  });
});
