// The shared engine of the workflow use cases: load the lead's state, apply one transition of
// src/domain/lifecycle, and save the new state, its events and its notices in one commit.
// Refusals are TransitionErrors (forbidden, not-found, state, invalid) with a Chinese reason.
import { TransitionError, type LeadState, type TransitionContext, type TransitionResult } from '../domain/lifecycle/index.ts';
import type { Actor } from '../domain/types.ts';
import { loadLeadState, saveLeadState } from '../db/stores/lifecycle.ts';
import { findVisibleLead } from '../db/stores/leads.ts';
import { write, type Recorder, type Tx } from '../db/write.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { actorOf, transitionContext } from './transitionContext.ts';

export type Step = (state: LeadState, actor: Actor, at: string, ctx: TransitionContext, tx: Tx) => Promise<TransitionResult> | TransitionResult;
export type Effects = (tx: Tx, before: LeadState, after: LeadState, at: string, rec: Recorder) => Promise<void>;

export const leadNotFound = () => new TransitionError('not-found', '线索不存在，或您无权查看');

/** Runs one transition in one commit and answers the lead's new state. */
export async function runTransition(
  deps: WorkflowDeps, caller: Caller, id: string, step: Step, effects?: Effects,
): Promise<LeadState> {
  // Supervisors meet another's lead as "not found"; the domain checks agencies itself.
  if (caller.role === 'supervisor'
    && !(await findVisibleLead(deps.reader, id, { kind: 'supervisor', supervisorId: caller.supervisorId ?? '\u0000' }))) {
    throw leadNotFound();
  }
  const at = deps.clock.now().toISOString();
  const ctx = transitionContext(deps);
  return write(deps.db, async (tx, rec) => {
    const before = await loadLeadState(tx, id);
    if (!before) throw leadNotFound();
    const { state: after, events } = await step(before, actorOf(caller), at, ctx, tx);
    await saveLeadState(tx, before, after, at, ctx.calendar, ctx.tz);
    rec.record(...events);
    if (effects) await effects(tx, before, after, at, rec);
    return after;
  });
}

export async function leadTitle(tx: Tx, id: string): Promise<string> {
  return (await tx.selectFrom('leads').select('title').where('id', '=', id).executeTakeFirstOrThrow()).title;
}
