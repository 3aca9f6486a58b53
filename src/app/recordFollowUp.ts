// 回访: the bureau records whether a reporter was satisfied; an unsatisfied one reopens the lead.
import { followUp } from '../domain/lifecycle/index.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { reportersOf } from './followUps.ts';
import { runTransition } from './runTransition.ts';

export function recordFollowUp(deps: WorkflowDeps, caller: Caller, id: string, input: unknown) {
  let recorded: { reportId: string; satisfied: boolean; comment: string | null } | undefined;
  return runTransition(deps, caller, id, async (s, a, at, ctx) => {
    const result = followUp(s, a, at, input as never, ctx, await reportersOf(deps.db, s.id));
    const b = input as { reportId: string; satisfied: boolean; comment?: string };
    recorded = { reportId: b.reportId.trim(), satisfied: b.satisfied, comment: b.comment ?? null };
    return result;
  }, async (_before, after, at) => {
    if (!recorded) return {};
    return {
      writes: [{
        kind: 'update', table: 'follow_ups',
        set: { status: 'done', satisfied: recorded.satisfied ? 1 : 0, comment: recorded.comment, done_at: at },
        where: { lead_id: after.id, report_id: recorded.reportId, status: 'pending' },
      }],
    };
  });
}
