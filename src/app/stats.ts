// Use case: the statistics of a period (GET /api/stats, its CSV and workbook, /stats, the CLI).
import type { Kysely } from 'kysely';
import { addDays, localDate, startOfLocalDay, type WorkingCalendar } from '../domain/calendar/index.ts';
import { findAgency, type Directory } from '../domain/directory.ts';
import type { Stats } from '../domain/stats.ts';
import type { Clock } from '../domain/types.ts';
import type { DB } from '../db/schema/index.ts';
import { periodStats } from '../db/stores/stats.ts';

/** What the statistics need; the HTTP app's and the CLI's dependencies both fit. */
export interface StatsDeps {
  reader: Kysely<DB>;
  clock: Clock;
  config: { tz: string };
  calendar: { current(): WorkingCalendar };
  directory: Directory;
}

/** A period of local dates [from, to] as UTC instants; the default is the current year so far. */
export function periodOf(from: string | undefined, to: string | undefined, now: Date, tz: string) {
  const year = localDate(now, tz).slice(0, 4);
  const start = startOfLocalDay(from ?? `${year}-01-01`, tz);
  const end = to ? startOfLocalDay(addDays(to, 1), tz) : now.getTime() + 1; // up to and including now
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export async function statsForPeriod(deps: StatsDeps, q: { from?: string; to?: string }): Promise<Stats> {
  const now = deps.clock.now();
  const tz = deps.config.tz;
  return periodStats(deps.reader, periodOf(q.from, q.to, now, tz), now.toISOString(), { calendar: deps.calendar.current(), tz });
}

/** The Chinese name of an agency code (the code itself when the directory does not know it). */
export function agencyNamer(directory: Directory): (code: string) => string {
  return (code) => findAgency(directory, code)?.name ?? code;
}

/** The period as local dates, for titles and file names: 2026-01-01 至 2026-12-31. */
export function periodLabel(stats: Pick<Stats, 'period'>, tz: string): { from: string; to: string } {
  return { from: localDate(stats.period.from, tz), to: localDate(new Date(Date.parse(stats.period.to) - 1), tz) };
}
