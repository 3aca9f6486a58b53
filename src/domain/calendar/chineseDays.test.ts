import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar, chineseWorkingCalendar, publishedCalendarFrom } from './chineseDays.ts';

describe('chinese-days adapter', () => {
  it('covers exactly the years chinese-days 1.5.7 publishes: 2004–2026', () => {
    const years = [...chineseDaysCalendar().coveredYears];
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(2026 - 2004 + 1);
  });

  it('carries the 2026 Spring Festival and National Day arrangements', () => {
    const cal = chineseWorkingCalendar();
    expect(cal.isWorkingDay('2026-02-13')).toBe(true); // Friday
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday, make-up working day
    for (let d = 15; d <= 23; d++) expect(cal.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true); // Saturday, make-up working day
    expect(cal.isWorkingDay('2026-09-20')).toBe(true); // Sunday, make-up working day
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, make-up working day
  });

  it('does not count a year with only a few spill-over dates as covered', () => {
    const rest = Object.fromEntries(
      ['2026-01-01', '2026-01-02', '2026-01-03', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18',
        '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23', '2027-01-01'].map((d) => [d, 'x']),
    );
    const published = publishedCalendarFrom({ holidays: rest, workdays: { '2026-12-31': 'x' } });
    expect([...published.coveredYears]).toEqual([2026]);
  });
});
