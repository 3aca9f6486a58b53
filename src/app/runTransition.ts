// The shared engine of the workflow use cases: read the lead's state, apply one transition of
// src/domain/lifecycle, and commit the new state, its events and its notices as one plan
// (src/domain/lifecycle/rows.ts), guarded by the lead's version: a lead changed meanwhile is read
// and decided again. Refusals are TransitionErrors (forbidden, not-found, state, invalid) with a
// Chinese reason.
import { TransitionError, type LeadState, type TransitionContext, type TransitionResult } from '../domain/lifecycle/index.ts';
import type { FamilyTree } from '../domain/lifecycle/family.ts';
import { transitionPlan } from '../domain/lifecycle/rows.ts';
import { joinPlans, planAndCommit, type Plan } from '../domain/plan.ts';
import type { Actor } from '../domain/types.ts';
import { loadFamilyTree, loadStoredLead } from '../db/stores/lifecycle.ts';
import { findVisibleLead, noticeMaskers } from '../db/stores/leads.ts';
import type { Caller, WorkflowDeps } from './deps.ts';
import { noticeLeads, noticeWrites, type Notice } from './notices.ts';
import { actorOf, transitionContext } from './transitionContext.ts';

export type Step = (state: LeadState, actor: Actor, at: string, ctx: TransitionContext) => Promise<TransitionResult> | TransitionResult;
/** What else the transition writes (notices, follow-up tasks, events), read and planned beside it. */
export type Effects = (before: LeadState, after: LeadState, at: string) => Promise<Partial<Plan>>;

export const leadNotFound = () => new TransitionError('not-found', '线索不存在，或您无权查看');

async function checkSupervisor(deps: WorkflowDeps, caller: Caller, id: string): Promise<void> {
  // Supervisors meet another's lead as "not found"; the domain checks agencies itself.
  if (caller.role === 'supervisor'
    && !(await findVisibleLead(deps.reader, id, { kind: 'supervisor', supervisorId: caller.supervisorId ?? '\u0000' }))) {
    throw leadNotFound();
  }
}

/** Runs one transition as one plan and answers the lead's new state. */
export async function runTransition(
  deps: WorkflowDeps, caller: Caller, id: string, step: Step, effects?: Effects,
): Promise<LeadState> {
  await checkSupervisor(deps, caller, id);
  const at = deps.clock.now().toISOString();
  const ctx = transitionContext(deps);
  return planAndCommit(deps.store, async () => {
    const stored = await loadStoredLead(deps.db, id);
    if (!stored) throw leadNotFound();
    const { state: after, events } = await step(stored.state, actorOf(caller), at, ctx);
    const main = transitionPlan(stored, after, events, at, ctx.calendar, ctx.tz);
    const more = effects ? await effects(stored.state, after, at) : {};
    const plan = joinPlans(main, { guards: [], writes: [], events: [], counters: [], ...more });
    return { plan, answer: () => after };
  });
}

/** The outbox rows of notices, masked for the reporters of the leads they are about. */
export async function noticesPlan(deps: Pick<WorkflowDeps, 'db'>, notices: Notice[], at: string): Promise<Partial<Plan>> {
  if (notices.length === 0) return {};
  const maskFor = await noticeMaskers(deps.db, [...new Set(notices.flatMap(noticeLeads))]);
  return { writes: notices.flatMap((n) => noticeWrites(n, maskFor, at)) };
}

/** The family trees a merge or an unmerge is decided on (src/domain/lifecycle/family.ts). */
export function familyTree(deps: Pick<WorkflowDeps, 'db'>, ids: readonly string[]): Promise<FamilyTree> {
  return loadFamilyTree(deps.db, ids);
}

export async function leadTitle(db: WorkflowDeps['db'], id: string): Promise<string> {
  return (await db.selectFrom('leads').select('title').where('id', '=', id).executeTakeFirstOrThrow()).title;
}
