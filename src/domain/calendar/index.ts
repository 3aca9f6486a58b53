// Working-day calendar, deadlines and reminder stages (API.md §5).

export type { IsoDate } from './civilDate.ts';
export { isIsoDate, addDays, dayOfWeek } from './civilDate.ts';
export type { Instant } from './timeZone.ts';
export {
  DEFAULT_TIME_ZONE, isValidTimeZone, localDate, startOfLocalDay, endOfLocalDay, toEpochMs, toIsoInstant,
} from './timeZone.ts';
export type { PublishedCalendar, WorkingCalendar } from './calendar.ts';
export { createWorkingCalendar } from './calendar.ts';
export type { CalendarOverrides, YearOverrides, DayKind } from './overrides.ts';
export { yearOverridesSchema, calendarOverridesSchema, dayKindSchema } from './overrides.ts';
export {
  chineseDaysCalendar, chineseWorkingCalendar, publishedCalendarFrom, MIN_REST_DAYS_OF_COVERED_YEAR,
} from './chineseDays.ts';
export type { DeadlineSpec, DeadlinePolicy, PriorityDeadlines } from './policy.ts';
export {
  BUILT_IN_DEADLINE_POLICY, deadlinePolicySchema, deadlineSpecSchema, priorityDeadlinesSchema,
} from './policy.ts';
export type { Deadline, DeadlineBasis, AssignmentDeadlines } from './deadline.ts';
export { computeDeadline, computeDeadlines } from './deadline.ts';
export type { DeadlineKind, ReminderStage, TrackedDeadline, StageDue } from './reminders.ts';
export {
  dueStages, nextStageAt, stageSchedule,
  WORKING_DAYS_BEFORE_WARNING, WORKING_DAYS_BETWEEN_ESCALATIONS, HOURS_DEADLINE_WARNING_MS,
} from './reminders.ts';
