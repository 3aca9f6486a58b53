// The context every transition is decided in (calendar, deadline policy, time zone, the
// directory's agencies), given the ids it may hand out: the application makes those.
import type { DeadlinePolicy, WorkingCalendar } from '../calendar/index.ts';
import { findAgency, type Directory } from '../directory.ts';
import type { TransitionContext } from './index.ts';

export interface ContextSource {
  policy: DeadlinePolicy;
  config: { tz: string };
  directory: Directory;
  calendar: { current(): WorkingCalendar };
}

export function transitionContextOf(deps: ContextSource, newId: () => string): TransitionContext {
  return {
    calendar: deps.calendar.current(), policy: deps.policy, tz: deps.config.tz,
    newId,
    isAgency: (code) => Boolean(findAgency(deps.directory, code)),
    agencyName: (code) => findAgency(deps.directory, code)?.name ?? code,
  };
}

/** Assignment ids `as_{stamp}_{n}_{random}`: in the order they are handed out within one context. */
export function assignmentIds(stamp: string, random: () => string): () => string {
  let n = 0;
  return () => `as_${stamp}_${(n++).toString(36)}_${random()}`;
}
