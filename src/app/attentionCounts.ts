// The dashboard's counts: what needs the bureau's attention now (in triage, due soon, overdue,
// feedback to review, extensions asked for), each exact up to COUNT_CAP.
import { addDays, endOfLocalDay, localDate, WORKING_DAYS_BEFORE_WARNING, type WorkingCalendar } from '../domain/calendar/index.ts';
import type { AttentionCounts, QueueReads } from '../domain/queue.ts';

export interface DueSoonDeps {
  config: { tz: string };
  calendar: { current(): WorkingCalendar };
}

/** The end of the day WORKING_DAYS_BEFORE_WARNING working days from now: "即将到期" until then. */
export function soonUntil(deps: DueSoonDeps, now: string): string {
  const tz = deps.config.tz;
  const cal = deps.calendar.current();
  const today = localDate(now, tz);
  const day = cal.isCoveredYear(Number(today.slice(0, 4))) ? cal.addWorkingDays(today, WORKING_DAYS_BEFORE_WARNING) : addDays(today, 3);
  return new Date(endOfLocalDay(day, tz)).toISOString();
}

export function attentionCounts(deps: DueSoonDeps & { pages: Pick<QueueReads, 'attentionCounts'> }, now: string): Promise<AttentionCounts> {
  return deps.pages.attentionCounts(now, soonUntil(deps, now));
}
