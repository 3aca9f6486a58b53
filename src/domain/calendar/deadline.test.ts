import { describe, expect, it } from 'vitest';
import { chineseWorkingCalendar } from './chineseDays.ts';
import { computeDeadline, computeDeadlines } from './deadline.ts';
import { BUILT_IN_DEADLINE_POLICY as policy } from './policy.ts';

const cal = chineseWorkingCalendar();

describe('computeDeadlines with the built-in policy and the published calendar', () => {
  it('normal lead assigned on the Friday before Spring Festival 2026', () => {
    expect(computeDeadlines(policy, 'normal', '2026-02-13T10:00:00+08:00', cal)).toEqual({
      ackDueAt: '2026-02-14T15:59:59.000Z', // Saturday 14 Feb (make-up working day), 23:59:59 +08:00
      dueAt: '2026-03-12T15:59:59.000Z', // 15 working days: Thursday 12 March
      provisional: false,
      ackBasis: 'workingDays',
      dueBasis: 'workingDays',
    });
  });

  it('counts from the local day of the instant, not its UTC day', () => {
    // 2026-02-13 01:00 in Shanghai, still 12 February in UTC.
    expect(computeDeadlines(policy, 'normal', '2026-02-12T17:00:00Z', cal).ackDueAt).toBe('2026-02-14T15:59:59.000Z');
    expect(computeDeadlines(policy, 'normal', '2026-02-12T17:00:00Z', cal, 'UTC').ackDueAt).toBe('2026-02-13T23:59:59.000Z');
  });

  it('skips National Day', () => {
    expect(computeDeadlines(policy, 'normal', '2026-09-30T16:30:00+08:00', cal).ackDueAt).toBe('2026-10-08T15:59:59.000Z');
  });

  it('urgent: acknowledge in 2 elapsed hours, feedback in 3 working days', () => {
    expect(computeDeadlines(policy, 'urgent', '2026-02-13T10:00:00+08:00', cal)).toEqual({
      ackDueAt: '2026-02-13T04:00:00.000Z',
      dueAt: '2026-02-25T15:59:59.000Z', // 14 Feb, 24 Feb, 25 Feb
      provisional: false,
      ackBasis: 'hours',
      dueBasis: 'workingDays',
    });
    // Hours run through the night and through holidays.
    expect(computeDeadlines(policy, 'urgent', '2026-02-15T23:30:00+08:00', cal).ackDueAt).toBe('2026-02-15T17:30:00.000Z');
  });

  it('takes the bureau’s workingDays for the feedback deadline', () => {
    const d = computeDeadlines(policy, 'normal', '2026-02-13T10:00:00+08:00', cal, 'Asia/Shanghai', 5);
    expect(d.dueAt).toBe('2026-02-27T15:59:59.000Z'); // 14, 24, 25, 26, 27 Feb
    expect(() => computeDeadlines(policy, 'normal', '2026-02-13T10:00:00+08:00', cal, 'Asia/Shanghai', 0)).toThrow(RangeError);
  });

  it('flags a deadline reaching into a year chinese-days does not cover, counting weekdays', () => {
    const d = computeDeadlines(policy, 'normal', '2026-12-20T10:00:00+08:00', cal);
    expect(d.ackDueAt).toBe('2026-12-21T15:59:59.000Z');
    // 21–25, 28–31 Dec (9), then 1 Jan 2027 (a Friday, counted as a weekday) and 4–8 Jan.
    expect(d.dueAt).toBe('2027-01-08T15:59:59.000Z');
    expect(d.provisional).toBe(true);
    expect(computeDeadline({ workingDays: 1 }, '2026-12-20T10:00:00+08:00', cal).provisional).toBe(false);
    expect(computeDeadline({ workingDays: 1 }, '2026-12-31T10:00:00+08:00', cal)).toEqual({
      dueAt: '2027-01-01T15:59:59.000Z', provisional: true, basis: 'workingDays',
    });
  });

  it('stops being provisional once the bureau enters the year as published', () => {
    const with2027 = chineseWorkingCalendar([{ year: 2027, published: true, days: { '2027-01-01': 'rest' } }]);
    const d = computeDeadlines(policy, 'normal', '2026-12-20T10:00:00+08:00', with2027);
    expect(d.dueAt).toBe('2027-01-11T15:59:59.000Z');
    expect(d.provisional).toBe(false);
  });

  it('extends from the previous deadline', () => {
    expect(computeDeadline({ workingDays: 5 }, '2026-03-12T15:59:59.000Z', cal).dueAt).toBe('2026-03-19T15:59:59.000Z');
  });

  it('refuses an instant without a zone', () => {
    expect(() => computeDeadlines(policy, 'normal', '2026-02-13T10:00:00', cal)).toThrow(RangeError);
  });
});
