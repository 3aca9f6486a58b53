// The working-day calendar, built from plain data: the published arrangement (chinese-days, see
// chineseDays.ts) and the bureau's override table (overrides.ts). Dates are local 'YYYY-MM-DD'.
//
// A date is a working day when, in this order:
//   1. the bureau's override says so ('work' / 'rest');
//   2. the published data lists it as a make-up working day (work) or a rest day (rest);
//   3. otherwise it is Monday to Friday.
// A year is covered when the published data covers it or an override table for it is marked
// `published: true`. In an uncovered year rule 3 decides (weekdays), and anything counted there is
// provisional: recomputed when the year's calendar arrives.

import {
  addDays, assertIsoDate, isWeekend, toDayNumber, yearOf, type IsoDate,
} from './civilDate.ts';
import type { CalendarOverrides, DayKind } from './overrides.ts';

/** The published arrangement of the State Council as plain data. */
export interface PublishedCalendar {
  /** Rest days ('YYYY-MM-DD'); a listed weekend day is harmless. */
  holidays: Iterable<IsoDate>;
  /** Make-up working days (调休上班), normally weekends. */
  workdays: Iterable<IsoDate>;
  /** The years whose complete arrangement the lists above hold. */
  coveredYears: Iterable<number>;
}

export interface WorkingCalendar {
  isWorkingDay(date: IsoDate): boolean;
  /**
   * The |n|th working day after `date` (before it when n < 0); `date` itself never counts.
   * n = 0 returns `date` unchanged.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** Working days d with a < d ≤ b (negative, counted the same way, when b < a). */
  workingDaysBetween(a: IsoDate, b: IsoDate): number;
  isCoveredYear(year: number): boolean;
  /** The date lies in a year the calendar does not cover. */
  isProvisional(date: IsoDate): boolean;
  /** The uncovered years among those of the dates from..to (inclusive, either order). */
  uncoveredYears(from: IsoDate, to: IsoDate): number[];
  /** The covered years, ascending. */
  coveredYears(): number[];
}

export function createWorkingCalendar(
  published: PublishedCalendar,
  overrides: CalendarOverrides = [],
): WorkingCalendar {
  const rest = new Set<IsoDate>();
  const work = new Set<IsoDate>();
  for (const d of published.holidays) rest.add(assertIsoDate(d));
  for (const d of published.workdays) {
    work.add(assertIsoDate(d));
    rest.delete(d); // a date in both lists: the make-up working day wins
  }
  const covered = new Set<number>(published.coveredYears);
  const override = new Map<IsoDate, DayKind>();
  for (const table of overrides) {
    if (table.published) covered.add(table.year);
    for (const [date, kind] of Object.entries(table.days)) override.set(assertIsoDate(date), kind);
  }

  const isWorkingDay = (date: IsoDate): boolean => {
    const o = override.get(date);
    if (o) return o === 'work';
    if (work.has(date)) return true;
    if (rest.has(date)) return false;
    return !isWeekend(assertIsoDate(date));
  };

  const addWorkingDays = (date: IsoDate, n: number): IsoDate => {
    if (!Number.isSafeInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
    assertIsoDate(date);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let d = date;
    // Terminates: overrides and published lists are finite, so plain weekdays always come again.
    while (left > 0) {
      d = addDays(d, step);
      if (isWorkingDay(d)) left--;
    }
    return d;
  };

  const workingDaysBetween = (a: IsoDate, b: IsoDate): number => {
    const [from, to, sign] = toDayNumber(a) <= toDayNumber(b) ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let d = addDays(from, 1); toDayNumber(d) <= toDayNumber(to); d = addDays(d, 1)) {
      if (isWorkingDay(d)) count++;
    }
    return sign * count;
  };

  const isCoveredYear = (year: number): boolean => covered.has(year);

  const uncoveredYears = (from: IsoDate, to: IsoDate): number[] => {
    const [lo, hi] = [yearOf(assertIsoDate(from)), yearOf(assertIsoDate(to))].sort((x, y) => x - y) as [number, number];
    const out: number[] = [];
    for (let y = lo; y <= hi; y++) if (!covered.has(y)) out.push(y);
    return out;
  };

  return {
    isWorkingDay,
    addWorkingDays,
    workingDaysBetween,
    isCoveredYear,
    isProvisional: (date) => !covered.has(yearOf(assertIsoDate(date))),
    uncoveredYears,
    coveredYears: () => [...covered].sort((x, y) => x - y),
  };
}
