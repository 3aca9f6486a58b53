// The working calendar in force: chinese-days' published data plus the bureau's override tables
// (calendar_overrides), reloaded after every change and by every sweep (several instances agree);
// and the reads an edit of a year's table is planned on.
import type { Kysely } from 'kysely';
import {
  chineseWorkingCalendar, yearOverridesSchema, type WorkingCalendar, type YearOverrides,
} from '../../domain/calendar/index.ts';
import { deadlineStateOf, type AssignmentDetailJson, type ProvisionalAssignment } from '../../domain/lifecycle/rows.ts';
import type { DB } from '../schema/index.ts';

export interface CalendarHolder {
  current(): WorkingCalendar;
  reload(): Promise<WorkingCalendar>;
  tables(): YearOverrides[];
  /** A year's stored override table as read (its last change), for a plan that replaces it. */
  storedYear(year: number): Promise<{ updatedAt: string } | undefined>;
  /** The open assignments whose deadlines were counted provisionally (a year not covered yet). */
  provisionalAssignments(): Promise<ProvisionalAssignment[]>;
}

export function createCalendarHolder(db: Kysely<DB>): CalendarHolder {
  let tables: YearOverrides[] = [];
  let calendar = chineseWorkingCalendar();
  return {
    current: () => calendar,
    tables: () => tables,
    reload: async () => {
      const rows = await db.selectFrom('calendar_overrides').select('data').orderBy('year').execute();
      tables = rows.map((r) => yearOverridesSchema.parse(JSON.parse(r.data)));
      calendar = chineseWorkingCalendar(tables);
      return calendar;
    },
    storedYear: async (year) => {
      const r = await db.selectFrom('calendar_overrides').select('updated_at').where('year', '=', year).executeTakeFirst();
      return r ? { updatedAt: r.updated_at } : undefined;
    },
    provisionalAssignments: async () => {
      const rows = await db.selectFrom('assignments').selectAll().where('calendar_provisional', '=', 1)
        .where('status', '!=', 'closed').execute();
      return rows.map((r) => ({
        id: r.id, leadId: r.lead_id, deadline: deadlineStateOf(r), ackDueAt: r.ack_due_at, dueAt: r.due_at,
        deadlineVersion: Number(r.deadline_version ?? 1), anchors: (JSON.parse(r.detail ?? '{}') as AssignmentDetailJson).anchors,
      }));
    },
  };
}
