// Reminder stages of one deadline (API.md §5), as pure functions of the deadline, the assignment
// time, `now`, the calendar and the time zone. The sweep calls them for every deadline of an
// assignment that is still open (not yet acknowledged / not yet fed back), records each due stage
// once under the unique key (assignment, `key`), and stores nextStageAt so it finds the
// assignment again with an indexed `WHERE next_reminder_at <= now`.
//
// Working-day deadlines (D = the deadline's local day, all stages at 00:00 local):
//   warning       2 working days before D. Skipped when that instant is not after the
//                 assignment (e.g. a 1-working-day acknowledgement: there is no time to warn).
//   overdue       the first working day after D (never before the deadline itself has passed).
//   escalation-k  3·k working days after the overdue day, k = 1, 2, … while still open.
// Hours deadlines (urgent acknowledgement, "within 2 hours"):
//   warning       30 minutes before the deadline, when that is after the assignment.
//   overdue       the deadline instant itself.
//   escalation-k  00:00 local of the 3·k-th working day after the local day of the deadline.
//
// Catching up (the sweep did not run for a while): dueStages returns every stage due by now, each
// once, oldest first, so each gets its row and none is reconsidered; a stage followed by another
// due stage is marked `superseded` — the sweep records it but need not e-mail it (a warning
// after the deadline has passed, or escalation-1 when escalation-2 is also due, says nothing new).

import type { WorkingCalendar } from './calendar.ts';
import type { DeadlineBasis } from './deadline.ts';
import {
  DEFAULT_TIME_ZONE, localDate, startOfLocalDay, toEpochMs, toIsoInstant, type Instant,
} from './timeZone.ts';

export type DeadlineKind = 'acknowledge' | 'feedback';
export type ReminderStage = 'warning' | 'overdue' | `escalation-${number}`;

export interface TrackedDeadline {
  kind: DeadlineKind;
  dueAt: Instant;
  basis: DeadlineBasis;
}

export interface StageDue {
  kind: DeadlineKind;
  stage: ReminderStage;
  /** Unique per assignment: 'acknowledge:warning', 'feedback:escalation-2', … */
  key: `${DeadlineKind}:${ReminderStage}`;
  /** When the stage became (or becomes) due, ISO UTC with ms. */
  dueAt: string;
  /** A later stage of the same deadline is also due by now. */
  superseded: boolean;
}

export const WORKING_DAYS_BEFORE_WARNING = 2;
export const HOURS_DEADLINE_WARNING_MS = 30 * 60_000;
export const WORKING_DAYS_BETWEEN_ESCALATIONS = 3;

interface ScheduledStage {
  stage: ReminderStage;
  at: number;
}

/** Every stage of a deadline in time order; endless (escalations go on while it stays open). */
export function* stageSchedule(
  deadline: TrackedDeadline,
  assignedAt: Instant,
  calendar: WorkingCalendar,
  tz: string = DEFAULT_TIME_ZONE,
): Generator<ScheduledStage, never> {
  const assigned = toEpochMs(assignedAt);
  const due = toEpochMs(deadline.dueAt);
  const dueDay = localDate(due, tz);

  let overdueAt: number;
  let overdueDay: string;
  if (deadline.basis === 'hours') {
    const warningAt = due - HOURS_DEADLINE_WARNING_MS;
    if (warningAt > assigned) yield { stage: 'warning', at: warningAt };
    overdueAt = due;
    overdueDay = dueDay;
  } else {
    const warningAt = startOfLocalDay(calendar.addWorkingDays(dueDay, -WORKING_DAYS_BEFORE_WARNING), tz);
    if (warningAt > assigned) yield { stage: 'warning', at: warningAt };
    overdueDay = calendar.addWorkingDays(dueDay, 1);
    overdueAt = Math.max(startOfLocalDay(overdueDay, tz), due);
  }
  yield { stage: 'overdue', at: overdueAt };

  let day = overdueDay;
  for (let k = 1; ; k++) {
    day = calendar.addWorkingDays(day, WORKING_DAYS_BETWEEN_ESCALATIONS);
    yield { stage: `escalation-${k}`, at: startOfLocalDay(day, tz) };
  }
}

/** The stages of one open deadline that are due by `now` (inclusive), oldest first. */
export function dueStages(
  deadline: TrackedDeadline,
  assignedAt: Instant,
  now: Instant,
  calendar: WorkingCalendar,
  tz: string = DEFAULT_TIME_ZONE,
): StageDue[] {
  const nowMs = toEpochMs(now);
  const out: StageDue[] = [];
  for (const s of stageSchedule(deadline, assignedAt, calendar, tz)) {
    if (s.at > nowMs) break;
    out.push({
      kind: deadline.kind,
      stage: s.stage,
      key: `${deadline.kind}:${s.stage}`,
      dueAt: toIsoInstant(s.at),
      superseded: false,
    });
  }
  for (let i = 0; i < out.length - 1; i++) out[i]!.superseded = true;
  return out;
}

/** The instant of the first stage of the deadline after `now` (ISO UTC with ms). */
export function nextStageAt(
  deadline: TrackedDeadline,
  assignedAt: Instant,
  now: Instant,
  calendar: WorkingCalendar,
  tz: string = DEFAULT_TIME_ZONE,
): string {
  const nowMs = toEpochMs(now);
  for (const s of stageSchedule(deadline, assignedAt, calendar, tz)) {
    if (s.at > nowMs) return toIsoInstant(s.at);
  }
  throw new Error('unreachable: the stage schedule is endless');
}
