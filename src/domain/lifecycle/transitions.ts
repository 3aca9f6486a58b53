// Lifecycle transitions (DESIGN.md "Lifecycle", API.md §3). Each is a pure function
//   (state, actor, at, input, ctx) → { state, events }
// that returns a new state (the argument is never changed) and exactly the events to append to
// the full-process record, or throws a TransitionError — never a silent no-op.
//
// Checks run in this order: visibility (an agency acting on a lead it holds no assignment on gets
// 'not-found', so the API answers 404 and reveals nothing), role ('forbidden'), input ('invalid',
// the same zod schemas the HTTP layer uses), then state ('state', 409 with the reason).

import type { z } from 'zod';
import type { EventDraft } from '../audit.ts';
import { computeDeadline, computeDeadlines, toEpochMs, toIsoInstant, type DeadlineSpec } from '../calendar/index.ts';
import type { Actor, LeadStatus, Priority, Transfer } from '../types.ts';
import {
  acknowledgeInputSchema, assignInputSchema, closeInputSchema, extensionDecisionInputSchema,
  extensionRequestInputSchema, feedbackInputSchema, followUpInputSchema, inputErrors, mergeInputSchema,
  rejectInputSchema, reviewInputSchema, transferInputSchema, unmergeInputSchema,
  type AcknowledgeInput, type AssignInput, type CloseInput, type ExtensionDecisionInput,
  type ExtensionRequestInput, type FeedbackInput, type FollowUpInput, type MergeInput, type RejectInput,
  type ReviewInput, type TransferInput, type UnmergeInput,
} from './schemas.ts';
import {
  STATUS_LABELS, TRANSFER_LABELS, TransitionError, agencyCanSee, assignmentOf, isBureau, isOpenAssignment,
  openPrimary, type AssignmentState, type LeadState, type TransitionContext, type TransitionResult,
} from './state.ts';

/** Every action a transition records, in lifecycle order. */
export const LIFECYCLE_ACTIONS = [
  'lead.assigned',
  'assignment.acknowledged',
  'assignment.feedback',
  'lead.review.approved',
  'lead.review.returned',
  'extension.requested',
  'extension.approved',
  'extension.refused',
  'lead.rejected',
  'lead.transferred',
  'lead.merged',
  'lead.merge.received',
  'lead.unmerged',
  'lead.merge.released',
  'lead.closed',
  'followup.recorded',
  'lead.reopened',
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** The new, unassigned lead as intake creates it. */
export function initialLeadState(init: {
  id: string;
  priority: Priority;
  routing?: { agency: string | null; transfer: Transfer | null };
}): LeadState {
  return {
    id: init.id, status: 'triage', priority: init.priority, mergedInto: null, assignments: [],
    routing: init.routing ?? { agency: null, transfer: null },
  };
}

// ---------------------------------------------------------------- helpers

function invalid(message: string, errors: { path: string; message: string }[] = []): TransitionError {
  return new TransitionError('invalid', message, errors);
}

function conflict(message: string): TransitionError {
  return new TransitionError('state', message);
}

/** “线索当前为‘已办结’，不能签收” */
function wrongState(state: LeadState, verb: string, hint = ''): TransitionError {
  return conflict(`线索当前为‘${STATUS_LABELS[state.status]}’，不能${verb}${hint}`);
}

function notFound(): TransitionError {
  return new TransitionError('not-found', '线索不存在');
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const errors = inputErrors(r.error);
  throw invalid(errors.map((e) => `${e.path} ${e.message}`).join('；'), errors);
}

/** The instant as UTC ISO with milliseconds; the caller passes it in (no clock is read here). */
function instant(at: string): string {
  try {
    return toIsoInstant(toEpochMs(at));
  } catch {
    throw invalid(`时间无效：${String(at)}`, [{ path: '/at', message: '须为带时区的 ISO 8601 时间' }]);
  }
}

function later(a: string, b: string): boolean {
  return toEpochMs(a) > toEpochMs(b);
}

/** Bureau (or admin) acts. An agency that cannot see the lead gets 'not-found' first. */
function requireBureau(state: LeadState, actor: Actor, verb: string, allowSystem = false): void {
  if (!agencyCanSee(state, actor)) throw notFound();
  if (isBureau(actor) || (allowSystem && actor.role === 'system')) return;
  throw new TransitionError('forbidden', `无权${verb}：${verb}须由区司法局办理`);
}

/** Agency acts: the acting agency's own assignment (its open one, else its latest). */
function requireOwnAssignment(state: LeadState, actor: Actor, verb: string): AssignmentState {
  if (actor.role !== 'agency') {
    throw new TransitionError('forbidden', `无权${verb}：${verb}须由承办单位办理`);
  }
  const a = actor.agency === undefined ? undefined : assignmentOf(state, actor.agency);
  if (!a) throw notFound();
  return a;
}

/** The acting agency's assignment must still be open. */
function requireOpen(state: LeadState, a: AssignmentState, verb: string): void {
  if (isOpenAssignment(a)) return;
  if (state.status === 'assigned' || state.status === 'rectifying' || state.status === 'feedback') {
    throw conflict(`本单位在此线索上的承办任务已办结，不能${verb}`);
  }
  throw wrongState(state, verb);
}

function agencyLabel(ctx: TransitionContext, code: string): string {
  return ctx.agencyName?.(code) ?? code;
}

function replaceAssignment(state: LeadState, next: AssignmentState): AssignmentState[] {
  return state.assignments.map((a) => (a.id === next.id ? next : a));
}

function omit<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...obj };
  for (const k of keys) delete copy[k];
  return copy;
}

function event(state: LeadState, actor: Actor, at: string, action: LifecycleAction, data: Record<string, unknown>, extra: Partial<EventDraft> = {}): EventDraft {
  return { leadId: state.id, actor: actor.id, action, at, data, ...extra };
}

function statusChange(from: LeadStatus, to: LeadStatus): { from: LeadStatus; to: LeadStatus } | Record<string, never> {
  return from === to ? {} : { from, to };
}

/** Leaving triage ends a 不满意重办 round. */
function leaveTriage(state: LeadState): LeadState {
  return state.reopened ? omit(state, 'reopened') : state;
}

// ---------------------------------------------------------------- 交办

/**
 * 交办. From triage the first assignment must be the primary one (role defaults to primary when
 * the lead has no open primary, to assist otherwise); in assigned/rectifying only assisting
 * agencies are added. One open primary at most: a closed primary (after 不满意重办) does not count.
 * An agency holds one open assignment per lead. `priority` may change only in triage (it drives
 * the deadlines of the assignments made there). Also allowed to system actors (a confident
 * routing match assigned automatically).
 */
export function assign(state: LeadState, actor: Actor, at: string, input: AssignInput, ctx: TransitionContext): TransitionResult {
  requireBureau(state, actor, '交办', true);
  const inp = parse(assignInputSchema, input);
  const when = instant(at);
  if (ctx.isAgency && !ctx.isAgency(inp.agency)) {
    throw invalid(`未知的承办单位：${inp.agency}`, [{ path: '/agency', message: '不在承办单位名录中' }]);
  }
  const primary = openPrimary(state);
  const role = inp.role ?? (primary ? 'assist' : 'primary');

  if (state.status === 'triage') {
    if (role === 'assist') throw conflict('线索尚未交办主办单位，请先交办主办单位，再增加协办单位');
  } else if (state.status === 'assigned' || state.status === 'rectifying') {
    if (role === 'primary') throw conflict(`线索已有主办单位（${primary ? agencyLabel(ctx, primary.agency) : ''}），不能再交办主办单位；可增加协办单位`);
  } else if (state.status === 'feedback') {
    throw wrongState(state, '交办', '，请先审核整改反馈');
  } else {
    throw wrongState(state, '交办');
  }
  if (state.assignments.some((a) => a.agency === inp.agency && isOpenAssignment(a))) {
    throw conflict(`${agencyLabel(ctx, inp.agency)} 已在承办此线索，不能重复交办`);
  }
  const priority = inp.priority ?? state.priority;
  if (priority !== state.priority && state.status !== 'triage') {
    throw conflict('线索已交办，不能再更改优先级');
  }

  const d = computeDeadlines(ctx.policy, priority, when, ctx.calendar, ctx.tz, inp.workingDays);
  const assignment: AssignmentState = {
    id: ctx.newId(), agency: inp.agency, role, status: 'assigned', assignedAt: when,
    ackDueAt: d.ackDueAt, dueAt: d.dueAt, ackBasis: d.ackBasis, dueBasis: d.dueBasis,
    calendarProvisional: d.provisional, deadlineVersion: 1,
  };
  const status: LeadStatus = state.status === 'triage' ? 'assigned' : state.status;
  const next: LeadState = {
    ...leaveTriage(state), status, priority, assignments: [...state.assignments, assignment],
  };
  return {
    state: next,
    events: [event(state, actor, when, 'lead.assigned', {
      assignmentId: assignment.id, agency: assignment.agency, role,
      assignedAt: when, ackDueAt: d.ackDueAt, dueAt: d.dueAt, ackBasis: d.ackBasis, dueBasis: d.dueBasis,
      calendarProvisional: d.provisional, deadlineVersion: 1,
      workingDays: inp.workingDays ?? null,
      priority, ...(priority !== state.priority ? { previousPriority: state.priority } : {}),
      // The routing suggestion, so corrections by the bureau can be learned from.
      routedAgency: state.routing.agency,
      ...statusChange(state.status, status),
    })],
  };
}

// ---------------------------------------------------------------- 签收

/** 签收 by the assigned agency; the primary's 签收 moves the lead to rectifying. */
export function acknowledge(state: LeadState, actor: Actor, at: string, input: AcknowledgeInput, _ctx: TransitionContext): TransitionResult {
  const a = requireOwnAssignment(state, actor, '签收');
  parse(acknowledgeInputSchema, input);
  const when = instant(at);
  requireOpen(state, a, '签收');
  if (a.status !== 'assigned') throw conflict('本单位已签收此线索，不能重复签收');

  const next: AssignmentState = { ...a, status: 'acknowledged', acknowledgedAt: when };
  const status: LeadStatus = a.role === 'primary' ? 'rectifying' : state.status;
  return {
    state: { ...state, status, assignments: replaceAssignment(state, next) },
    events: [event(state, actor, when, 'assignment.acknowledged', {
      assignmentId: a.id, agency: a.agency, role: a.role, ackDueAt: a.ackDueAt, late: later(when, a.ackDueAt),
      ...statusChange(state.status, status),
    })],
  };
}

// ---------------------------------------------------------------- 整改反馈

/**
 * 整改反馈 by the agency on its acknowledged assignment: 签收 comes first (feedback is not an
 * implicit acknowledgement, so the 签收 record and its timeliness stay true). The primary's
 * feedback moves the lead to feedback (awaiting 审核) without waiting for assisting agencies.
 */
export function feedback(state: LeadState, actor: Actor, at: string, input: FeedbackInput, _ctx: TransitionContext): TransitionResult {
  const a = requireOwnAssignment(state, actor, '提交整改反馈');
  const inp = parse(feedbackInputSchema, input);
  const when = instant(at);
  requireOpen(state, a, '提交整改反馈');
  if (a.status === 'assigned') throw conflict('本单位尚未签收此线索，请先签收，再提交整改反馈');
  if (a.status === 'feedback') throw conflict('本单位已提交整改反馈，正在等待审核，不能重复提交');

  const fb = { summary: inp.summary, measures: inp.measures, evidence: inp.evidence ?? [], at: when };
  const next: AssignmentState = { ...a, status: 'feedback', feedback: fb };
  const status: LeadStatus = a.role === 'primary' ? 'feedback' : state.status;
  return {
    state: { ...state, status, assignments: replaceAssignment(state, next) },
    events: [event(state, actor, when, 'assignment.feedback', {
      assignmentId: a.id, agency: a.agency, role: a.role,
      summary: fb.summary, measures: fb.measures, evidence: fb.evidence,
      dueAt: a.dueAt, late: later(when, a.dueAt),
      ...statusChange(state.status, status),
    })],
  };
}

// ---------------------------------------------------------------- 审核

/**
 * 审核 of a lead in feedback. 通过: every assignment closes and the lead closes (refused while an
 * extension request awaits its decision: decide it first). 退回: the primary assignment goes back
 * to acknowledged with a new feedback deadline counted from now (`workingDays`, else the policy's
 * feedback deadline for the lead's priority), deadlineVersion + 1, the lead back to rectifying and
 * the reason kept on the assignment. Assisting agencies' assignments are untouched by a return.
 */
export function review(state: LeadState, actor: Actor, at: string, input: ReviewInput, ctx: TransitionContext): TransitionResult {
  requireBureau(state, actor, '审核');
  const inp = parse(reviewInputSchema, input);
  const when = instant(at);
  if (state.status !== 'feedback') throw wrongState(state, '审核');
  const primary = openPrimary(state);
  if (!primary) throw conflict('线索没有主办单位，不能审核');

  if (inp.decision === 'approve') {
    if (state.pendingExtension) {
      throw conflict(`${agencyLabel(ctx, state.pendingExtension.agency)} 的延期申请尚待决定，请先决定再审核通过`);
    }
    const closed = state.assignments.filter(isOpenAssignment);
    const assignments = state.assignments.map((a): AssignmentState => (isOpenAssignment(a) ? { ...a, status: 'closed', closedAt: when } : a));
    const next: LeadState = { ...state, status: 'closed', assignments, followUps: [] };
    return {
      state: next,
      events: [event(state, actor, when, 'lead.review.approved', {
        comment: inp.comment ?? null, assignmentId: primary.id, agency: primary.agency,
        closedAssignments: closed.map((a) => ({ id: a.id, agency: a.agency, role: a.role, status: a.status })),
        ...statusChange(state.status, 'closed'),
      })],
    };
  }

  const spec: DeadlineSpec = inp.workingDays !== undefined ? { workingDays: inp.workingDays } : ctx.policy[state.priority].feedback;
  const d = computeDeadline(spec, when, ctx.calendar, ctx.tz);
  const count = (primary.returned?.count ?? 0) + 1;
  const next: AssignmentState = {
    ...omit(primary, 'feedback'), status: 'acknowledged',
    dueAt: d.dueAt, dueBasis: d.basis, calendarProvisional: d.provisional,
    deadlineVersion: primary.deadlineVersion + 1,
    returned: { comment: inp.comment, at: when, count },
  };
  return {
    state: { ...state, status: 'rectifying', assignments: replaceAssignment(state, next) },
    events: [event(state, actor, when, 'lead.review.returned', {
      comment: inp.comment, assignmentId: primary.id, agency: primary.agency,
      previousDueAt: primary.dueAt, dueAt: d.dueAt, dueBasis: d.basis,
      workingDays: 'workingDays' in spec ? spec.workingDays : null, hours: 'hours' in spec ? spec.hours : null,
      calendarProvisional: d.provisional, deadlineVersion: next.deadlineVersion, returnedCount: count,
      ...statusChange(state.status, 'rectifying'),
    })],
  };
}

// ---------------------------------------------------------------- 延期

/**
 * 延期申请 by the agency on its open assignment before it has given feedback (assigned or
 * acknowledged; the request is about the feedback deadline). One pending request per lead, since
 * the bureau's decision names no assignment. A request after the deadline is allowed and marked.
 */
export function requestExtension(state: LeadState, actor: Actor, at: string, input: ExtensionRequestInput, _ctx: TransitionContext): TransitionResult {
  const a = requireOwnAssignment(state, actor, '申请延期');
  const inp = parse(extensionRequestInputSchema, input);
  const when = instant(at);
  requireOpen(state, a, '申请延期');
  if (a.status === 'feedback') throw conflict('本单位已提交整改反馈，不能再申请延期');
  if (state.pendingExtension) {
    throw conflict(state.pendingExtension.assignmentId === a.id
      ? '本单位已有延期申请待决定，不能重复申请'
      : '此线索已有一项延期申请待区司法局决定，请待决定后再申请');
  }
  const next: AssignmentState = {
    ...a, extension: { workingDays: inp.workingDays, reason: inp.reason, requestedAt: when, status: 'pending' },
  };
  return {
    state: {
      ...state, assignments: replaceAssignment(state, next),
      pendingExtension: { assignmentId: a.id, agency: a.agency, workingDays: inp.workingDays, reason: inp.reason, requestedAt: when },
    },
    events: [event(state, actor, when, 'extension.requested', {
      assignmentId: a.id, agency: a.agency, workingDays: inp.workingDays, reason: inp.reason,
      dueAt: a.dueAt, overdue: later(when, a.dueAt),
    })],
  };
}

/**
 * 延期决定 by the bureau on the pending request. Approval moves the feedback deadline by N working
 * days counted from the current deadline (computeDeadline({workingDays: N}, dueAt)) and bumps
 * deadlineVersion; the lead's status never changes.
 */
export function decideExtension(state: LeadState, actor: Actor, at: string, input: ExtensionDecisionInput, ctx: TransitionContext): TransitionResult {
  requireBureau(state, actor, '决定延期');
  const inp = parse(extensionDecisionInputSchema, input);
  const when = instant(at);
  const p = state.pendingExtension;
  if (!p) throw conflict('此线索没有待决定的延期申请');
  const a = state.assignments.find((x) => x.id === p.assignmentId);
  if (!a || !a.extension || a.extension.status !== 'pending') throw conflict('延期申请已失效');
  const rest = omit(state, 'pendingExtension');
  const decided = { ...a.extension, decidedAt: when, ...(inp.comment ? { comment: inp.comment } : {}) };

  if (!inp.approve) {
    const next: AssignmentState = { ...a, extension: { ...decided, status: 'refused' } };
    return {
      state: { ...rest, assignments: replaceAssignment(state, next) },
      events: [event(state, actor, when, 'extension.refused', {
        assignmentId: a.id, agency: a.agency, workingDays: p.workingDays, reason: p.reason,
        comment: inp.comment ?? null, dueAt: a.dueAt,
      })],
    };
  }
  const d = computeDeadline({ workingDays: p.workingDays }, a.dueAt, ctx.calendar, ctx.tz);
  const next: AssignmentState = {
    ...a, extension: { ...decided, status: 'approved' },
    dueAt: d.dueAt, dueBasis: d.basis, calendarProvisional: a.calendarProvisional || d.provisional,
    deadlineVersion: a.deadlineVersion + 1,
  };
  return {
    state: { ...rest, assignments: replaceAssignment(state, next) },
    events: [event(state, actor, when, 'extension.approved', {
      assignmentId: a.id, agency: a.agency, workingDays: p.workingDays, reason: p.reason,
      comment: inp.comment ?? null, previousDueAt: a.dueAt, dueAt: d.dueAt,
      calendarProvisional: next.calendarProvisional, deadlineVersion: next.deadlineVersion,
    })],
  };
}

// ---------------------------------------------------------------- 研判: 不予受理, 移送, 归并, 办结

/** 不予受理, from triage only (a lead under rectification ends through 审核). */
export function reject(state: LeadState, actor: Actor, at: string, input: RejectInput, _ctx: TransitionContext): TransitionResult {
  requireBureau(state, actor, '不予受理');
  const inp = parse(rejectInputSchema, input);
  const when = instant(at);
  if (state.status !== 'triage') throw wrongState(state, '不予受理');
  return {
    state: { ...leaveTriage(state), status: 'rejected' },
    events: [event(state, actor, when, 'lead.rejected', { reason: inp.reason, ...statusChange(state.status, 'rejected') })],
  };
}

/**
 * 移送 to 纪委监委 or 司法机关, from triage only: once assigned, the lead runs to its 审核 (the
 * bureau can still transfer the matter outside this system; withdrawing assignments is not a
 * transition yet). Sets routing.transfer.
 */
export function transfer(state: LeadState, actor: Actor, at: string, input: TransferInput, _ctx: TransitionContext): TransitionResult {
  requireBureau(state, actor, '移送');
  const inp = parse(transferInputSchema, input);
  const when = instant(at);
  if (state.status !== 'triage') throw wrongState(state, '移送');
  return {
    state: { ...leaveTriage(state), status: 'transferred', routing: { ...state.routing, transfer: inp.to } },
    events: [event(state, actor, when, 'lead.transferred', {
      transfer: inp.to, transferLabel: TRANSFER_LABELS[inp.to], note: inp.note,
      routedTransfer: state.routing.transfer, ...statusChange(state.status, 'transferred'),
    })],
  };
}

/** What merge needs to know of the lead merged into (read by the caller). */
export interface MergeTarget {
  id: string;
  status: LeadStatus;
  mergedInto: string | null;
}

/**
 * 归并 into another lead, from triage only (the only state without open assignments). The target
 * must be another lead that is not itself merged (merge into its root instead), closed or
 * rejected (a new report about a closed problem may be a recurrence: keep it a lead). Two events:
 * lead.merged on this lead, lead.merge.received on the target.
 */
export function merge(state: LeadState, actor: Actor, at: string, input: MergeInput, _ctx: TransitionContext, target: MergeTarget | null): TransitionResult {
  requireBureau(state, actor, '归并');
  const inp = parse(mergeInputSchema, input);
  const when = instant(at);
  if (inp.into === state.id) throw invalid('不能把线索归并到它自己', [{ path: '/into', message: '不能是本线索' }]);
  if (!target) throw new TransitionError('not-found', `归并目标线索 ${inp.into} 不存在`); // null: no such lead
  if (target.id !== inp.into) throw invalid(`归并目标与 into 不符：${target.id}`, [{ path: '/into', message: '与目标线索不符' }]);
  if (state.status !== 'triage') throw wrongState(state, '归并');
  if (target.status === 'merged') {
    throw conflict(`目标线索 ${target.id} 本身已归并到 ${target.mergedInto ?? ''}，请归并到 ${target.mergedInto ?? '该线索'}`);
  }
  if (target.status === 'closed' || target.status === 'rejected') {
    throw conflict(`目标线索 ${target.id} 当前为‘${STATUS_LABELS[target.status]}’，不能归并到该线索`);
  }
  return {
    state: { ...leaveTriage(state), status: 'merged', mergedInto: target.id },
    events: [
      event(state, actor, when, 'lead.merged', { into: target.id, ...statusChange(state.status, 'merged') }),
      { leadId: target.id, actor: actor.id, action: 'lead.merge.received', at: when, data: { mergedLead: state.id } },
    ],
  };
}

/** 撤销归并: merged → triage. Two events: lead.unmerged here, lead.merge.released on the former target. */
export function unmerge(state: LeadState, actor: Actor, at: string, input: UnmergeInput, _ctx: TransitionContext): TransitionResult {
  requireBureau(state, actor, '撤销归并');
  parse(unmergeInputSchema, input);
  const when = instant(at);
  if (state.status !== 'merged' || state.mergedInto === null) throw wrongState(state, '撤销归并');
  const into = state.mergedInto;
  return {
    state: { ...state, status: 'triage', mergedInto: null },
    events: [
      event(state, actor, when, 'lead.unmerged', { into, ...statusChange(state.status, 'triage') }),
      { leadId: into, actor: actor.id, action: 'lead.merge.released', at: when, data: { mergedLead: state.id } },
    ],
  };
}

/**
 * 办结 by the bureau directly, with a reason: from triage (settled without assignment, or after
 * 不满意重办 the bureau decides no redo is needed) and from transferred (the receiving organ's
 * outcome came back). A lead under rectification closes only through 审核通过.
 */
export function close(state: LeadState, actor: Actor, at: string, input: CloseInput, _ctx: TransitionContext): TransitionResult {
  requireBureau(state, actor, '办结');
  const inp = parse(closeInputSchema, input);
  const when = instant(at);
  if (state.status === 'assigned' || state.status === 'rectifying' || state.status === 'feedback') {
    throw wrongState(state, '直接办结', '，须待整改反馈审核通过后办结');
  }
  if (state.status !== 'triage' && state.status !== 'transferred') throw wrongState(state, '办结');
  return {
    state: { ...leaveTriage(state), status: 'closed', followUps: [] },
    events: [event(state, actor, when, 'lead.closed', { reason: inp.reason, ...statusChange(state.status, 'closed') })],
  };
}

// ---------------------------------------------------------------- 回访

/** A report as the follow-up rules need it (a domain Reporter or a database row both fit). */
export interface FollowUpReport {
  id: string;
  reporter: {
    name?: string | null;
    phone?: string | null;
    confidential: boolean;
    supervisorId?: string | null;
  };
}

/** The reporter left a way to reach them: a phone number, or a supervisor's account in the app. */
export function reachable(r: FollowUpReport['reporter']): 'supervisor' | 'phone' | null {
  if (r.supervisorId && r.supervisorId.trim()) return 'supervisor';
  if (r.phone && r.phone.replace(/\s+/g, '')) return 'phone';
  return null;
}

/**
 * 回访 of one reporter of a closed lead, by the bureau, or by a supervisor for their own report.
 * Only reporters who left contact details and did not ask for confidentiality, once per closing.
 * Satisfied: one event. Not satisfied (不满意重办): the lead goes back to triage with
 * `reopened: true` for the bureau to decide (re-assign, or close with a reason), two events.
 * `reports` are the lead's reports, read by the caller.
 */
export function followUp(state: LeadState, actor: Actor, at: string, input: FollowUpInput, _ctx: TransitionContext, reports: FollowUpReport[]): TransitionResult {
  if (!agencyCanSee(state, actor)) throw notFound();
  const own = actor.role === 'supervisor'
    ? reports.filter((r) => actor.supervisorId !== undefined && r.reporter.supervisorId === actor.supervisorId)
    : [];
  if (actor.role === 'supervisor' && own.length === 0) throw notFound();
  if (actor.role !== 'supervisor' && !isBureau(actor)) {
    throw new TransitionError('forbidden', '无权回访：回访须由区司法局办理');
  }
  const inp = parse(followUpInputSchema, input);
  const when = instant(at);
  if (actor.role === 'supervisor' && !own.some((r) => r.id === inp.reportId)) {
    throw new TransitionError('forbidden', '无权回访：监督员只能记录本人报送的回访');
  }
  if (state.status !== 'closed') throw wrongState(state, '回访');
  const report = reports.find((r) => r.id === inp.reportId);
  if (!report) throw invalid(`报送 ${inp.reportId} 不属于此线索`, [{ path: '/reportId', message: '不属于此线索' }]);
  const secret = confidentialPeople(reports);
  if (report.reporter.confidential || personKeys(report).some((k) => secret.has(k))) {
    throw conflict('该举报人要求保密，不予回访');
  }
  if (!reachable(report.reporter)) throw conflict('该举报人未留联系方式，无法回访');
  if (state.followUps?.some((f) => f.reportId === report.id)) throw conflict('该报送已回访，不能重复记录');

  const recorded = event(state, actor, when, 'followup.recorded', {
    reportId: report.id, satisfied: inp.satisfied, comment: inp.comment ?? null,
  }, { reportId: report.id });
  if (inp.satisfied) {
    return {
      state: { ...state, followUps: [...(state.followUps ?? []), { reportId: report.id, satisfied: true, at: when }] },
      events: [recorded],
    };
  }
  const reopenedCount = (state.reopenedCount ?? 0) + 1;
  return {
    state: { ...omit(state, 'followUps'), status: 'triage', reopened: true, reopenedCount },
    events: [recorded, event(state, actor, when, 'lead.reopened', {
      reason: '回访不满意，重新研判（不满意重办）', reportId: report.id, comment: inp.comment ?? null,
      reopenedCount, ...statusChange(state.status, 'triage'),
    }, { reportId: report.id })],
  };
}

/** Who the reporter is, as far as follow-up can tell: their supervisor account and phone. */
function personKeys(r: FollowUpReport): string[] {
  const keys: string[] = [];
  const sup = r.reporter.supervisorId?.trim();
  const phone = r.reporter.phone?.replace(/\s+/g, '');
  if (sup) keys.push(`s:${sup}`);
  if (phone) keys.push(`p:${phone}`);
  return keys;
}

/** The people (personKeys) who asked for confidentiality on any of these reports. */
function confidentialPeople(reports: FollowUpReport[]): Set<string> {
  return new Set(reports.filter((r) => r.reporter.confidential).flatMap(personKeys));
}

/** A follow-up task: which report to call back and how (the store holds the contact itself). */
export interface FollowUpTask {
  leadId: string;
  reportId: string;
  via: 'phone' | 'supervisor';
}

/**
 * The follow-up tasks of a closed lead: one per reporter who left contact details and did not ask
 * for confidentiality, not yet followed up since the lead closed. The same person (same phone or
 * supervisor account) reporting twice gets one task, for their first report. [] when not closed.
 */
export function followUpTasks(closedLead: LeadState, reports: FollowUpReport[]): FollowUpTask[] {
  if (closedLead.status !== 'closed') return [];
  const done = new Set((closedLead.followUps ?? []).map((f) => f.reportId));
  // A person who asked for confidentiality on any report of the lead is never called back.
  const confidential = confidentialPeople(reports);
  const people = new Set<string>();
  const tasks: FollowUpTask[] = [];
  for (const r of reports) {
    if (r.reporter.confidential) continue;
    const via = reachable(r.reporter);
    if (!via) continue;
    const keys = personKeys(r);
    if (keys.some((k) => confidential.has(k))) continue;
    const seen = keys.some((k) => people.has(k));
    for (const k of keys) people.add(k);
    if (seen || done.has(r.id)) continue;
    tasks.push({ leadId: closedLead.id, reportId: r.id, via });
  }
  return tasks;
}
