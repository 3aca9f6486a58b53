// The lead lifecycle as plain data (DESIGN.md "Lifecycle", API.md §3): the state a transition
// reads and returns, the error it throws, and the consistency rules every state obeys.

import type { DeadlineBasis, DeadlinePolicy, WorkingCalendar } from '../calendar/index.ts';
import type { EventDraft } from '../audit.ts';
import type { Actor, LeadStatus, Priority, Transfer } from '../types.ts';

export type AssignmentRole = 'primary' | 'assist';
export type AssignmentStatus = 'assigned' | 'acknowledged' | 'feedback' | 'closed';
export type ExtensionStatus = 'pending' | 'approved' | 'refused';

export interface FeedbackEvidence {
  url: string;
  kind?: 'photo' | 'video' | 'document';
}

export interface AssignmentFeedback {
  summary: string;
  measures: string;
  evidence: FeedbackEvidence[];
  at: string;
}

export interface AssignmentExtension {
  workingDays: number;
  reason: string;
  requestedAt: string;
  status: ExtensionStatus;
  decidedAt?: string;
  comment?: string;
}

export interface AssignmentState {
  id: string;
  agency: string;
  role: AssignmentRole;
  status: AssignmentStatus;
  /** UTC ISO instants ('2026-02-13T02:00:00.000Z'). */
  assignedAt: string;
  /** 签收 deadline. */
  ackDueAt: string;
  /** 整改反馈 deadline (moved by a return or an approved extension). */
  dueAt: string;
  ackBasis: DeadlineBasis;
  dueBasis: DeadlineBasis;
  /** A deadline counted days in a year the calendar does not cover (API.md §5). */
  calendarProvisional: boolean;
  /** 1 at assignment, +1 whenever a deadline moves: reminder keys include it. */
  deadlineVersion: number;
  acknowledgedAt?: string;
  /** The latest rectification feedback; cleared when the bureau returns it (the record keeps it). */
  feedback?: AssignmentFeedback;
  /** The latest 审核退回 of this assignment, so the agency sees why. */
  returned?: { comment: string; at: string; count: number };
  /** The latest extension request and its decision. */
  extension?: AssignmentExtension;
  closedAt?: string;
}

/** The one extension request awaiting the bureau (one per lead: the decision names no assignment). */
export interface PendingExtension {
  assignmentId: string;
  agency: string;
  workingDays: number;
  reason: string;
  requestedAt: string;
}

export interface FollowUpRecord {
  reportId: string;
  satisfied: boolean;
  at: string;
}

export interface LeadState {
  id: string;
  status: LeadStatus;
  priority: Priority;
  mergedInto: string | null;
  assignments: AssignmentState[];
  pendingExtension?: PendingExtension;
  routing: { agency: string | null; transfer: Transfer | null };
  /** Back in triage because a reporter was not satisfied (不满意重办); cleared when the bureau decides. */
  reopened?: boolean;
  reopenedCount?: number;
  /** Follow-ups recorded since the lead last closed (reset when it closes or reopens). */
  followUps?: FollowUpRecord[];
}

export interface TransitionContext {
  calendar: WorkingCalendar;
  policy: DeadlinePolicy;
  tz: string;
  /** Ids for new assignments; deterministic in tests. */
  newId(): string;
  /** Optional directory check for `assign`: false → 'invalid' (unknown agency). */
  isAgency?(code: string): boolean;
  /** Optional Chinese name of an agency code, for the reasons people read. */
  agencyName?(code: string): string;
}

export interface TransitionResult {
  state: LeadState;
  events: EventDraft[];
}

export type TransitionErrorCode = 'forbidden' | 'not-found' | 'state' | 'invalid';

/** The HTTP answer for each code (problem+json). */
export const TRANSITION_HTTP_STATUS: Record<TransitionErrorCode, number> = {
  forbidden: 403,
  'not-found': 404,
  state: 409,
  invalid: 422,
};

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  readonly code: TransitionErrorCode;
  /** For 'invalid' input: JSON-pointer paths and messages, as the HTTP layer reports them. */
  readonly errors: { path: string; message: string }[];

  constructor(code: TransitionErrorCode, message: string, errors: { path: string; message: string }[] = []) {
    super(message);
    this.code = code;
    this.errors = errors;
  }

  get httpStatus(): number {
    return TRANSITION_HTTP_STATUS[this.code];
  }
}

export function isTransitionError(e: unknown): e is TransitionError {
  return e instanceof TransitionError;
}

export const STATUS_LABELS: Record<LeadStatus, string> = {
  triage: '待研判',
  assigned: '已交办',
  rectifying: '整改中',
  feedback: '已反馈待审核',
  closed: '已办结',
  rejected: '不予受理',
  transferred: '已移送',
  merged: '已归并',
};

export const ASSIGNMENT_STATUS_LABELS: Record<AssignmentStatus, string> = {
  assigned: '已交办待签收',
  acknowledged: '已签收整改中',
  feedback: '已反馈',
  closed: '已办结',
};

export const TRANSFER_LABELS: Record<Transfer, string> = {
  discipline: '纪委监委',
  judicial: '司法机关',
};

// ---- queries over the state ----

export function isOpenAssignment(a: AssignmentState): boolean {
  return a.status !== 'closed';
}

export function openAssignments(state: LeadState): AssignmentState[] {
  return state.assignments.filter(isOpenAssignment);
}

/** The primary assignment that is not closed, if any (at most one, see checkLeadState). */
export function openPrimary(state: LeadState): AssignmentState | undefined {
  return state.assignments.find((a) => a.role === 'primary' && isOpenAssignment(a));
}

/** The agency's assignment: its open one, else its latest closed one. */
export function assignmentOf(state: LeadState, agency: string): AssignmentState | undefined {
  const mine = state.assignments.filter((a) => a.agency === agency);
  return mine.find(isOpenAssignment) ?? mine[mine.length - 1];
}

export function isBureau(actor: Actor): boolean {
  return actor.role === 'bureau' || actor.role === 'admin';
}

/**
 * Whether the lifecycle lets this actor see the lead at all. An agency sees only leads it holds
 * (or held) an assignment on; supervisors' visibility depends on reports and is the store's business.
 */
export function agencyCanSee(state: LeadState, actor: Actor): boolean {
  if (actor.role !== 'agency') return true;
  return actor.agency !== undefined && state.assignments.some((a) => a.agency === actor.agency);
}

/**
 * Every rule a lead state obeys; [] when consistent. Transitions keep these by construction; the
 * property test checks them after random sequences, and a store may check what it loads.
 */
export function checkLeadState(state: LeadState): string[] {
  const problems: string[] = [];
  const open = openAssignments(state);
  const openPrimaries = open.filter((a) => a.role === 'primary');
  const primary = openPrimaries[0];

  if (openPrimaries.length > 1) problems.push('more than one open primary assignment');
  const agencies = new Set<string>();
  for (const a of open) {
    if (agencies.has(a.agency)) problems.push(`agency ${a.agency} holds two open assignments`);
    agencies.add(a.agency);
  }
  const ids = new Set<string>();
  for (const a of state.assignments) {
    if (ids.has(a.id)) problems.push(`duplicate assignment id ${a.id}`);
    ids.add(a.id);
    if (!(Number.isInteger(a.deadlineVersion) && a.deadlineVersion >= 1)) problems.push(`assignment ${a.id}: bad deadlineVersion`);
    if (a.status === 'feedback' && !a.feedback) problems.push(`assignment ${a.id}: status feedback without feedback`);
    if ((a.status === 'acknowledged' || a.status === 'assigned') && a.feedback) problems.push(`assignment ${a.id}: feedback on a ${a.status} assignment`);
    if (a.status === 'assigned' && a.acknowledgedAt) problems.push(`assignment ${a.id}: acknowledgedAt while assigned`);
    if (a.status !== 'assigned' && a.status !== 'closed' && !a.acknowledgedAt) problems.push(`assignment ${a.id}: ${a.status} without acknowledgedAt`);
    if (a.status === 'closed' && !a.closedAt) problems.push(`assignment ${a.id}: closed without closedAt`);
    if (a.status !== 'closed' && a.closedAt) problems.push(`assignment ${a.id}: closedAt on an open assignment`);
  }

  switch (state.status) {
    case 'assigned':
    case 'rectifying':
    case 'feedback': {
      const expected = state.status === 'assigned' ? 'assigned' : state.status === 'rectifying' ? 'acknowledged' : 'feedback';
      if (!primary) problems.push(`status ${state.status} without an open primary assignment`);
      else if (primary.status !== expected) problems.push(`status ${state.status} but the primary assignment is ${primary.status}`);
      break;
    }
    default:
      if (open.length > 0) problems.push(`status ${state.status} with open assignments`);
  }

  if ((state.status === 'merged') !== (state.mergedInto !== null)) problems.push('mergedInto must be set exactly when merged');
  if (state.mergedInto !== null && state.mergedInto === state.id) problems.push('merged into itself');
  if (state.status === 'transferred' && state.routing.transfer === null) problems.push('transferred without routing.transfer');
  if (state.reopened && state.status !== 'triage') problems.push('reopened outside triage');
  if (state.reopened && !(state.reopenedCount && state.reopenedCount >= 1)) problems.push('reopened without reopenedCount');
  if (state.followUps?.length && state.status !== 'closed') problems.push('follow-ups on a lead that is not closed');

  const pendingOnes = state.assignments.filter((a) => a.extension?.status === 'pending');
  if (state.pendingExtension) {
    const p = state.pendingExtension;
    const a = state.assignments.find((x) => x.id === p.assignmentId);
    if (!a) problems.push('pendingExtension names no assignment');
    else {
      if (a.extension?.status !== 'pending') problems.push('pendingExtension but the assignment has no pending extension');
      if (!isOpenAssignment(a)) problems.push('pendingExtension on a closed assignment');
      if (a.agency !== p.agency) problems.push('pendingExtension agency differs from the assignment');
    }
    if (pendingOnes.length !== 1) problems.push('pendingExtension but not exactly one pending assignment extension');
  } else if (pendingOnes.length > 0) {
    problems.push('a pending assignment extension without pendingExtension');
  }
  return problems;
}
