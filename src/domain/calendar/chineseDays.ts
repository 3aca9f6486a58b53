// Adapter: the chinese-days package's published holidays and make-up working days as plain data
// for createWorkingCalendar. The only file that imports chinese-days.
//
// chinese-days ships its generated data as dist/chinese-days.json:
//   { holidays:   { 'YYYY-MM-DD': "English name,中文名,n" },  rest days (weekend days included)
//     workdays:   { 'YYYY-MM-DD': "…" },                      make-up working days (调休上班)
//     inLieuDays: { 'YYYY-MM-DD': "…" } }                     rest days given in lieu (not needed)
// The JSON is read rather than the package's functions so no Date parsing in the machine's
// time zone is involved. chinese-days 1.5.7 covers 2004–2026.

import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { createWorkingCalendar, type PublishedCalendar, type WorkingCalendar } from './calendar.ts';
import { yearOf } from './civilDate.ts';
import type { CalendarOverrides } from './overrides.ts';

/**
 * A year counts as covered when the data lists at least this many rest days in it. A published
 * year lists 20 or more (the fewest in chinese-days 1.5.7 is 22, in 2004), while a neighbouring
 * year's arrangement can spill a few dates over New Year into a year not yet published.
 */
export const MIN_REST_DAYS_OF_COVERED_YEAR = 10;

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** Turns chinese-days-shaped data into a PublishedCalendar (exported for tests). */
export function publishedCalendarFrom(source: ChineseDaysData): PublishedCalendar {
  const holidays = Object.keys(source.holidays).sort();
  const workdays = Object.keys(source.workdays).sort();
  const restDaysPerYear = new Map<number, number>();
  for (const d of holidays) restDaysPerYear.set(yearOf(d), (restDaysPerYear.get(yearOf(d)) ?? 0) + 1);
  const coveredYears = [...restDaysPerYear]
    .filter(([, n]) => n >= MIN_REST_DAYS_OF_COVERED_YEAR)
    .map(([y]) => y)
    .sort((a, b) => a - b);
  return { holidays, workdays, coveredYears };
}

let cached: PublishedCalendar | undefined;

/** The published calendar of China's State Council as carried by chinese-days. */
export function chineseDaysCalendar(): PublishedCalendar {
  cached ??= publishedCalendarFrom(data as ChineseDaysData);
  return cached;
}

/** The working calendar of chinese-days' data plus the bureau's override tables. */
export function chineseWorkingCalendar(overrides: CalendarOverrides = []): WorkingCalendar {
  return createWorkingCalendar(chineseDaysCalendar(), overrides);
}
