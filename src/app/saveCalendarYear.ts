// Use case: the bureau enters (or corrects) a year's override table of the working calendar.
// One plan (src/domain/lifecycle/rows.ts calendarEditPlan): the table, and every provisional
// deadline counted again on the calendar with it, guarded by the table and the assignments as
// read; the calendar in force is reloaded once it is committed.
import { chineseWorkingCalendar, type YearOverrides } from '../domain/calendar/index.ts';
import { calendarEditPlan, recountProvisional } from '../domain/lifecycle/rows.ts';
import { planAndCommit, type PlanCommitter } from '../domain/plan.ts';
import type { WorkflowDeps } from './deps.ts';

export interface CalendarEditDeps {
  store: PlanCommitter;
  clock: { now(): Date };
  config: { tz: string };
  calendar: WorkflowDeps['calendar'];
}

/** Saves `table` as its year's overrides; answers how many assignments' deadlines were counted again. */
export async function saveCalendarYear(deps: CalendarEditDeps, table: YearOverrides, actor: string): Promise<{ recomputedAssignments: number }> {
  const at = deps.clock.now().toISOString();
  const moved = await planAndCommit(deps.store, async () => {
    await deps.calendar.reload();
    const stored = await deps.calendar.storedYear(table.year);
    const calendar = chineseWorkingCalendar([...deps.calendar.tables().filter((t) => t.year !== table.year), table]);
    const recount = recountProvisional(await deps.calendar.provisionalAssignments(), calendar, deps.config.tz, at);
    return { plan: calendarEditPlan(table, stored, recount, actor, at), answer: () => recount.changed.length };
  });
  await deps.calendar.reload();
  return { recomputedAssignments: moved };
}
