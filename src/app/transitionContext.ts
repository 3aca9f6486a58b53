// The actor and the transition context every workflow use case hands to src/domain/lifecycle.
import { findAgency } from '../domain/directory.ts';
import type { WorkingCalendar } from '../domain/calendar/index.ts';
import type { TransitionContext } from '../domain/lifecycle/index.ts';
import type { Actor } from '../domain/types.ts';
import type { Caller, WorkflowDeps } from './deps.ts';

export function actorOf(p: Caller): Actor {
  const a: Actor = { id: p.tokenId, role: p.role };
  if (p.agency) a.agency = p.agency;
  if (p.supervisorId) a.supervisorId = p.supervisorId;
  return a;
}

export function transitionContext(
  deps: Pick<WorkflowDeps, 'policy' | 'config' | 'directory'> & { calendar: { current(): WorkingCalendar } },
): TransitionContext {
  let n = 0;
  const stamp = Date.now().toString(36);
  return {
    calendar: deps.calendar.current(), policy: deps.policy, tz: deps.config.tz,
    newId: () => `as_${stamp}_${(n++).toString(36)}_${crypto.randomUUID().slice(0, 8)}`,
    isAgency: (code) => Boolean(findAgency(deps.directory, code)),
    agencyName: (code) => findAgency(deps.directory, code)?.name ?? code,
  };
}
