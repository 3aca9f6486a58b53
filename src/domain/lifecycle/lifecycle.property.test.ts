// Property: any sequence of transitions by any actors either throws a TransitionError (and the
// state stays as it was) or leaves the state consistent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEAD_STATUSES, type Actor, type LeadStatus } from '../types.ts';
import {
  LIFECYCLE_ACTIONS, TransitionError, acknowledge, assign, checkLeadState, close, decideExtension, feedback,
  followUp, merge, reject, requestExtension, review, transfer, unmerge,
  type LeadState, type TransitionContext, type TransitionResult,
} from './index.ts';
import { LEAD_ID, OTHER_LEAD_ID, actors, deepFreeze, reports, testContext, triageLead } from './testkit.ts';

const ACTORS: Actor[] = Object.values(actors);
const BUREAU_ONLY = new Set(['assign', 'review', 'decideExtension', 'reject', 'transfer', 'merge', 'unmerge', 'close']);
const AGENCY_ONLY = new Set(['acknowledge', 'feedback', 'requestExtension']);

type Command = { kind: string; actor: number; gapMinutes: number; input: Record<string, unknown>; target?: { status: LeadStatus; mergedInto: string | null } };

const agency = fc.constantFrom('urban', 'market', 'transport');
const days = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 31, 100) });
const text = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('理由', '整改完成') }, { weight: 1, arbitrary: fc.constantFrom('', '  ') });

/** Mostly the actor a call is meant for, so deep states are reached; sometimes anyone. */
function naturalActors(kind: string): Actor[] {
  if (BUREAU_ONLY.has(kind)) return [actors.bureau, actors.admin];
  if (AGENCY_ONLY.has(kind)) return [actors.urban, actors.market, actors.transport];
  return [actors.bureau, actors.supervisor];
}

const command: fc.Arbitrary<Command> = fc.record({
  natural: fc.integer({ min: 0, max: 99 }),
  pick: fc.nat({ max: 999 }),
  gapMinutes: fc.integer({ min: 1, max: 60 * 24 * 10 }),
  cmd: fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('assign'), input: fc.record({ agency, role: fc.constantFrom('primary', 'assist'), workingDays: days, priority: fc.constantFrom('normal', 'urgent') }, { requiredKeys: ['agency'] }) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('acknowledge'), input: fc.constant({}) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('feedback'), input: fc.record({ summary: text, measures: fc.constant('措施') }) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('review'), input: fc.oneof(fc.constant({ decision: 'approve' }), fc.record({ decision: fc.constant('return'), comment: text, workingDays: days }, { requiredKeys: ['decision', 'comment'] })) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('requestExtension'), input: fc.record({ workingDays: days, reason: text }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('decideExtension'), input: fc.record({ approve: fc.boolean() }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject'), input: fc.record({ reason: text }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer'), input: fc.record({ to: fc.constantFrom('discipline', 'judicial'), note: text }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('merge'), input: fc.constant({ into: OTHER_LEAD_ID }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('unmerge'), input: fc.constant({}) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('close'), input: fc.record({ reason: text }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('followUp'), input: fc.record({ reportId: fc.constantFrom(...reports.map((r) => r.id)), satisfied: fc.boolean() }) }) },
  ),
  target: fc.record({ status: fc.constantFrom(...LEAD_STATUSES), mergedInto: fc.constantFrom(null, 'XS-2026-000003') }),
}).map(({ natural, pick, gapMinutes, cmd, target }) => {
  const pool = natural < 80 ? naturalActors(cmd.kind) : ACTORS;
  const actor = ACTORS.indexOf(pool[pick % pool.length]!);
  return { kind: cmd.kind, actor, gapMinutes, input: cmd.input as Record<string, unknown>, target };
});

function apply(state: LeadState, c: Command, at: string, ctx: TransitionContext): TransitionResult {
  const actor = ACTORS[c.actor]!;
  const i = c.input as never;
  switch (c.kind) {
    case 'assign': return assign(state, actor, at, i, ctx);
    case 'acknowledge': return acknowledge(state, actor, at, i, ctx);
    case 'feedback': return feedback(state, actor, at, i, ctx);
    case 'review': return review(state, actor, at, i, ctx);
    case 'requestExtension': return requestExtension(state, actor, at, i, ctx);
    case 'decideExtension': return decideExtension(state, actor, at, i, ctx);
    case 'reject': return reject(state, actor, at, i, ctx);
    case 'transfer': return transfer(state, actor, at, i, ctx);
    case 'merge': return merge(state, actor, at, i, ctx, { id: OTHER_LEAD_ID, status: c.target!.status, mergedInto: c.target!.status === 'merged' ? 'XS-2026-000003' : null });
    case 'unmerge': return unmerge(state, actor, at, i, ctx);
    case 'close': return close(state, actor, at, i, ctx);
    case 'followUp': return followUp(state, actor, at, i, ctx, reports);
    default: throw new Error(`unknown command ${c.kind}`);
  }
}

describe('lifecycle property', () => {
  it('random transitions by random actors throw a TransitionError or keep the state consistent', () => {
    const reached = new Set<string>();
    const succeeded = new Set<string>();
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 80, size: 'max' }), (commands) => {
        const ctx = testContext();
        let state = deepFreeze(triageLead());
        let t = Date.parse('2026-02-13T02:00:00.000Z');
        for (const c of commands) {
          t += c.gapMinutes * 60_000;
          const at = new Date(t).toISOString();
          const actor = ACTORS[c.actor]!;
          let r: TransitionResult;
          try {
            r = apply(state, c, at, ctx);
          } catch (e) {
            if (!(e instanceof TransitionError)) throw e;
            expect(e.message).toMatch(/[\u4e00-\u9fff]/); // a reason a person reads, in Chinese
            continue;
          }
          succeeded.add(c.kind);
          // Consistency: status matches assignments, one open primary at most, closed leads hold only closed assignments.
          expect(checkLeadState(r.state)).toEqual([]);
          if (r.state.status === 'closed') expect(r.state.assignments.every((a) => a.status === 'closed')).toBe(true);
          expect(r.state.assignments.filter((a) => a.role === 'primary' && a.status !== 'closed').length).toBeLessThanOrEqual(1);
          // Every success records at least one event, by this actor, at this time, about this lead (or the merge target).
          expect(r.events.length).toBeGreaterThan(0);
          for (const e of r.events) {
            expect(LIFECYCLE_ACTIONS).toContain(e.action);
            expect(e.actor).toBe(actor.id);
            expect(e.at).toBe(at);
            expect([LEAD_ID, OTHER_LEAD_ID]).toContain(e.leadId);
          }
          // Roles: bureau acts by the bureau (system may assign), agency acts by an agency holding an assignment.
          if (BUREAU_ONLY.has(c.kind)) expect(['bureau', 'admin', ...(c.kind === 'assign' ? ['system'] : [])]).toContain(actor.role);
          if (AGENCY_ONLY.has(c.kind)) {
            expect(actor.role).toBe('agency');
            expect(state.assignments.some((a) => a.agency === actor.agency)).toBe(true);
          }
          // Assignments are append-only history; closed stays closed; a moved deadline bumps its version.
          expect(r.state.assignments.length).toBeGreaterThanOrEqual(state.assignments.length);
          for (const before of state.assignments) {
            const after = r.state.assignments.find((a) => a.id === before.id)!;
            expect(after).toBeDefined();
            expect(after.deadlineVersion).toBeGreaterThanOrEqual(before.deadlineVersion);
            if (before.status === 'closed') expect(after).toEqual(before);
            if (after.dueAt !== before.dueAt) expect(after.deadlineVersion).toBe(before.deadlineVersion + 1);
          }
          state = deepFreeze(r.state);
          reached.add(state.status);
        }
      }),
      { numRuns: 200 },
    );
    // The property is not vacuous: deep states and every transition were reached.
    for (const s of ['assigned', 'rectifying', 'feedback', 'closed', 'rejected', 'transferred', 'merged', 'triage']) expect(reached).toContain(s);
    for (const k of [...BUREAU_ONLY, ...AGENCY_ONLY, 'followUp']) expect(succeeded).toContain(k);
  }, 30_000);
});
