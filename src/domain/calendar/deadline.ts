// Deadlines are computed once per assignment (and again on extension or return) and stored.
//
// - { workingDays: N }: 23:59:59 local (tz) of the Nth working day after the local day of the
//   instant the clock starts (the assignment). Provisional when any day counted (the day after
//   that local day up to the deadline day) lies in a year the calendar does not cover; those
//   days are counted Mon–Fri (plus any overrides).
// - { hours: N }: plain elapsed time, never provisional.
// An extension of N working days is computeDeadline({ workingDays: N }, previousDueAt, …): the
// previous deadline's local day is the day counting starts after.

import type { Priority } from '../types.ts';
import type { WorkingCalendar } from './calendar.ts';
import { addDays } from './civilDate.ts';
import type { DeadlinePolicy, DeadlineSpec } from './policy.ts';
import {
  DEFAULT_TIME_ZONE, endOfLocalDay, localDate, toEpochMs, toIsoInstant, type Instant,
} from './timeZone.ts';

export type DeadlineBasis = 'workingDays' | 'hours';

export interface Deadline {
  /** UTC with milliseconds: '2026-02-14T15:59:59.000Z'. */
  dueAt: string;
  provisional: boolean;
  /** How the deadline was counted (the reminder stages depend on it). */
  basis: DeadlineBasis;
}

export function computeDeadline(
  spec: DeadlineSpec,
  from: Instant,
  calendar: WorkingCalendar,
  tz: string = DEFAULT_TIME_ZONE,
): Deadline {
  const start = toEpochMs(from);
  if ('hours' in spec) {
    return { dueAt: toIsoInstant(start + Math.round(spec.hours * 3_600_000)), provisional: false, basis: 'hours' };
  }
  const startDay = localDate(start, tz);
  const dueDay = calendar.addWorkingDays(startDay, spec.workingDays);
  const provisional = spec.workingDays > 0 && calendar.uncoveredYears(addDays(startDay, 1), dueDay).length > 0;
  return { dueAt: toIsoInstant(endOfLocalDay(dueDay, tz)), provisional, basis: 'workingDays' };
}

export interface AssignmentDeadlines {
  /** 签收 deadline. */
  ackDueAt: string;
  /** 整改反馈 deadline. */
  dueAt: string;
  /** Either deadline counted days in a year the calendar does not cover. */
  provisional: boolean;
  ackBasis: DeadlineBasis;
  dueBasis: DeadlineBasis;
}

/**
 * The deadlines of a new assignment under `policy`. `overrideWorkingDays` (the bureau's
 * `workingDays` on assign) replaces the policy's feedback deadline.
 */
export function computeDeadlines(
  policy: DeadlinePolicy,
  priority: Priority,
  assignedAt: Instant,
  calendar: WorkingCalendar,
  tz: string = DEFAULT_TIME_ZONE,
  overrideWorkingDays?: number,
): AssignmentDeadlines {
  const rules = policy[priority];
  if (overrideWorkingDays !== undefined && !(Number.isInteger(overrideWorkingDays) && overrideWorkingDays >= 1)) {
    throw new RangeError(`workingDays must be a positive integer: ${overrideWorkingDays}`);
  }
  const ack = computeDeadline(rules.acknowledge, assignedAt, calendar, tz);
  const feedbackSpec: DeadlineSpec = overrideWorkingDays === undefined ? rules.feedback : { workingDays: overrideWorkingDays };
  const feedback = computeDeadline(feedbackSpec, assignedAt, calendar, tz);
  return {
    ackDueAt: ack.dueAt,
    dueAt: feedback.dueAt,
    provisional: ack.provisional || feedback.provisional,
    ackBasis: ack.basis,
    dueBasis: feedback.basis,
  };
}
