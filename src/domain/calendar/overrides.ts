// The bureau's override table: what it edits through GET/PUT /api/calendar/{year} (or the CLI).
//
// One table per year:
//
//   { "year": 2027,
//     "published": true,                      // optional, default false
//     "days": { "2027-02-06": "rest",         // a rest day that would otherwise be worked
//               "2027-02-14": "work" },       // a make-up working day (调休上班) on a weekend
//     "note": "国办发明电〔2026〕… entered before chinese-days was updated" }
//
// - `days` wins over the published calendar (chinese-days) for that date, in either direction;
//   a date not listed falls back to the published calendar, then to Mon–Fri.
// - `published: true` says the table holds the year's complete State Council arrangement, so the
//   year counts as covered (deadlines in it are no longer provisional) even when chinese-days
//   does not have it yet. Then only the dates that differ from a plain Mon–Fri week need listing.
// - `published: false` (or absent) is for local arrangements only (e.g. a district-wide rest day);
//   it never makes a year covered, and it cannot un-cover a year the published data covers.
// - Every date in `days` must lie in `year`; PUT replaces the whole table of that year.

import { z } from 'zod';
import { isIsoDate, yearOf, type IsoDate } from './civilDate.ts';

export type DayKind = 'work' | 'rest';

export interface YearOverrides {
  year: number;
  published?: boolean;
  days: Record<IsoDate, DayKind>;
  note?: string;
}

/** All the bureau's tables (at most one per year). */
export type CalendarOverrides = readonly YearOverrides[];

export const dayKindSchema = z.enum(['work', 'rest']);

/** Validates one year's table (the body of PUT /api/calendar/{year}). */
export const yearOverridesSchema = z
  .strictObject({
    year: z.number().int().min(1000).max(9999),
    published: z.boolean().optional(),
    days: z.record(z.string().refine(isIsoDate, { message: "expected a date 'YYYY-MM-DD'" }), dayKindSchema),
    note: z.string().max(2000).optional(),
  })
  .superRefine((table, ctx) => {
    for (const date of Object.keys(table.days)) {
      if (isIsoDate(date) && yearOf(date) !== table.year) {
        ctx.addIssue({ code: 'custom', path: ['days', date], message: `date is not in ${table.year}` });
      }
    }
  });

export const calendarOverridesSchema = z.array(yearOverridesSchema).superRefine((tables, ctx) => {
  const seen = new Set<number>();
  tables.forEach((t, i) => {
    if (seen.has(t.year)) ctx.addIssue({ code: 'custom', path: [i, 'year'], message: `two tables for ${t.year}` });
    seen.add(t.year);
  });
});
