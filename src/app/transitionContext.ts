// The actor and the transition context every workflow use case hands to src/domain/lifecycle.
import type { WorkingCalendar } from '../domain/calendar/index.ts';
import { assignmentIds, transitionContextOf } from '../domain/lifecycle/context.ts';
import type { TransitionContext } from '../domain/lifecycle/index.ts';
import type { Actor } from '../domain/types.ts';
import type { Caller, WorkflowDeps } from './deps.ts';

export function actorOf(p: Caller): Actor {
  const a: Actor = { id: p.tokenId, role: p.role };
  if (p.agency) a.agency = p.agency;
  if (p.supervisorId) a.supervisorId = p.supervisorId;
  return a;
}

/** Assignment ids stamped with the wall clock, then numbered, then a random part. */
export function newAssignmentIds(): () => string {
  return assignmentIds(Date.now().toString(36), () => crypto.randomUUID().slice(0, 8));
}

export function transitionContext(
  deps: Pick<WorkflowDeps, 'policy' | 'config' | 'directory'> & { calendar: { current(): WorkingCalendar } },
): TransitionContext {
  return transitionContextOf(deps, newAssignmentIds());
}
