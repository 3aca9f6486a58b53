// The working calendar in force: chinese-days' published data plus the bureau's override tables
// (calendar_overrides), reloaded after every change and by every sweep (several instances agree).
import type { Kysely } from 'kysely';
import {
  chineseWorkingCalendar, yearOverridesSchema, type WorkingCalendar, type YearOverrides,
} from '../../domain/calendar/index.ts';
import type { DB } from '../schema/index.ts';

export interface CalendarHolder {
  current(): WorkingCalendar;
  reload(): Promise<WorkingCalendar>;
  tables(): YearOverrides[];
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
  };
}
