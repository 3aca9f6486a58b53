// What the workflow use cases need from the running service: a slice of the app's dependencies,
// named here so the application layer does not import the HTTP layer's types.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { CalendarHolder } from '../db/stores/calendar.ts';
import type { DeadlinePolicy } from '../domain/calendar/index.ts';
import type { Directory } from '../domain/directory.ts';
import type { Clock, Role } from '../domain/types.ts';

export interface WorkflowDeps {
  db: Kysely<DB>;
  reader: Kysely<DB>;
  clock: Clock;
  config: { tz: string };
  directory: Directory;
  policy: DeadlinePolicy;
  calendar: CalendarHolder;
}

/** Who acts: the token (or session's token) behind a call. */
export interface Caller {
  tokenId: string;
  role: Role;
  agency?: string;
  supervisorId?: string;
}
