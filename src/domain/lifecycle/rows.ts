// A transition's new lead state as the rows a plan writes (src/domain/plan.ts): the lead row
// (its version moved), and each assignment that changed, with the anchors its working-day
// deadlines were counted from and when the sweep must next look at it. The guards say that the
// lead is still at the version it was read at, and each changed assignment still at its deadline
// version and status: otherwise somebody else wrote first.
import { computeDeadline, localDate, nextStageAt, type TrackedDeadline, type WorkingCalendar } from '../calendar/index.ts';
import type { Guard, Plan, Scalar, Write } from '../plan.ts';
import type { AssignmentState, LeadState } from './state.ts';

/** How a working-day deadline was counted, so it can be counted again when a year's calendar arrives. */
export interface DeadlineAnchor { from: string; workingDays: number }

export interface LeadLifecycleJson {
  pendingExtension?: LeadState['pendingExtension'];
  reopened?: boolean;
  reopenedCount?: number;
  followUps?: LeadState['followUps'];
}

export interface AssignmentDetailJson {
  feedback?: AssignmentState['feedback'];
  returned?: AssignmentState['returned'];
  extension?: AssignmentState['extension'];
  anchors?: { ack?: DeadlineAnchor; due?: DeadlineAnchor };
}

/** A lead's state as read for a plan: with its version and the stored anchors of its assignments. */
export interface StoredLead {
  state: LeadState;
  version: number;
  anchors: ReadonlyMap<string, AssignmentDetailJson['anchors']>;
}

/** The deadlines of an assignment that can still fall due: 签收 until acknowledged, 整改反馈 until fed back. */
export function openDeadlines(a: Pick<AssignmentState, 'status' | 'ackDueAt' | 'dueAt' | 'ackBasis' | 'dueBasis'>): TrackedDeadline[] {
  const out: TrackedDeadline[] = [];
  if (a.status === 'assigned') out.push({ kind: 'acknowledge', dueAt: a.ackDueAt, basis: a.ackBasis });
  if (a.status === 'assigned' || a.status === 'acknowledged') out.push({ kind: 'feedback', dueAt: a.dueAt, basis: a.dueBasis });
  return out;
}

/** When the sweep must next look at an assignment; null when nothing can fall due any more. */
export type DeadlineState = Pick<AssignmentState, 'status' | 'assignedAt' | 'ackDueAt' | 'dueAt' | 'ackBasis' | 'dueBasis'>;

/** The deadline fields of a stored assignment row. */
export function deadlineStateOf(r: {
  status: string; assigned_at: string; ack_due_at: string | null; due_at: string | null; ack_basis: string | null; due_basis: string | null;
}): DeadlineState {
  return {
    status: r.status as AssignmentState['status'], assignedAt: r.assigned_at,
    ackDueAt: r.ack_due_at ?? r.assigned_at, dueAt: r.due_at ?? r.assigned_at,
    ackBasis: (r.ack_basis ?? 'workingDays') as AssignmentState['ackBasis'],
    dueBasis: (r.due_basis ?? 'workingDays') as AssignmentState['dueBasis'],
  };
}

export function nextReminderAt(a: DeadlineState, now: string, calendar: WorkingCalendar, tz: string): string | null {
  const times = openDeadlines(a).map((d) => nextStageAt(d, a.assignedAt, now, calendar, tz));
  return times.length ? times.sort()[0]! : null;
}

function anchorFor(
  before: AssignmentState | undefined, after: AssignmentState, kind: 'ack' | 'due', at: string,
  calendar: WorkingCalendar, tz: string, previous?: DeadlineAnchor,
): DeadlineAnchor | undefined {
  const due = kind === 'ack' ? after.ackDueAt : after.dueAt;
  const basis = kind === 'ack' ? after.ackBasis : after.dueBasis;
  const old = before ? (kind === 'ack' ? before.ackDueAt : before.dueAt) : undefined;
  if (basis !== 'workingDays') return undefined;
  if (old === due) return previous;
  // An approved extension counts on from the old deadline; assignments and returns from now.
  const from = old && before?.extension?.status !== 'approved' && after.extension?.status === 'approved' ? old : at;
  return { from, workingDays: calendar.workingDaysBetween(localDate(from, tz), localDate(due, tz)) };
}

/** Counts a provisional deadline again from its anchor, on the calendar in force. */
export function recountDeadline(anchor: DeadlineAnchor, calendar: WorkingCalendar, tz: string) {
  return computeDeadline({ workingDays: anchor.workingDays }, anchor.from, calendar, tz);
}

/**
 * The writes that store `after` over `before`: the lead row and every assignment that changed.
 * `version`: the lead's version as read (the lead row adds one to it).
 */
export function leadStateWrites(
  before: LeadState, after: LeadState, at: string, calendar: WorkingCalendar, tz: string,
  anchors: ReadonlyMap<string, AssignmentDetailJson['anchors']>,
): Write[] {
  const life: LeadLifecycleJson = {
    pendingExtension: after.pendingExtension, reopened: after.reopened, reopenedCount: after.reopenedCount,
    followUps: after.followUps,
  };
  const writes: Write[] = [{
    kind: 'update', table: 'leads',
    set: {
      status: after.status, priority: after.priority, merged_into: after.mergedInto,
      routing_transfer: after.routing.transfer, lifecycle: JSON.stringify(life), updated_at: at, version: { add: 1 },
    },
    where: { id: after.id },
  }];
  const old = new Map(before.assignments.map((a) => [a.id, a]));
  for (const a of after.assignments) {
    const prev = old.get(a.id);
    if (prev && JSON.stringify(prev) === JSON.stringify(a)) continue;
    const anchorsBefore = anchors.get(a.id) ?? {};
    const detail: AssignmentDetailJson = {
      feedback: a.feedback, returned: a.returned, extension: a.extension,
      anchors: {
        ack: anchorFor(prev, a, 'ack', at, calendar, tz, anchorsBefore.ack),
        due: anchorFor(prev, a, 'due', at, calendar, tz, anchorsBefore.due),
      },
    };
    const row: Record<string, Scalar> = {
      lead_id: after.id, agency: a.agency, role: a.role, status: a.status, assigned_at: a.assignedAt,
      ack_due_at: a.ackDueAt, due_at: a.dueAt, ack_basis: a.ackBasis, due_basis: a.dueBasis,
      calendar_provisional: a.calendarProvisional ? 1 : 0, deadline_version: a.deadlineVersion,
      acknowledged_at: a.acknowledgedAt ?? null, closed_at: a.closedAt ?? null, detail: JSON.stringify(detail),
      next_reminder_at: nextReminderAt(a, at, calendar, tz), updated_at: at,
    };
    writes.push(prev
      ? { kind: 'update', table: 'assignments', set: row, where: { id: a.id } }
      : { kind: 'insert', table: 'assignments', row: { id: a.id, ...row } });
  }
  return writes;
}

/** That the lead, and each assignment the plan rewrites, are still as read. */
export function leadStateGuards(stored: StoredLead, after: LeadState): Guard[] {
  const guards: Guard[] = [{
    kind: 'exists', table: 'leads', where: { id: stored.state.id, version: stored.version },
    reason: `线索 ${stored.state.id} 已被他人修改`,
  }];
  const after_ = new Map(after.assignments.map((a) => [a.id, a]));
  for (const a of stored.state.assignments) {
    const next = after_.get(a.id);
    if (!next || JSON.stringify(next) === JSON.stringify(a)) continue;
    guards.push({
      kind: 'exists', table: 'assignments', where: { id: a.id, deadline_version: a.deadlineVersion, status: a.status },
      reason: `承办记录 ${a.id} 已被他人修改`,
    });
  }
  return guards;
}

/** The plan that stores a transition's result (with its events) over the stored lead. */
export function transitionPlan(
  stored: StoredLead, after: LeadState, events: Plan['events'], at: string, calendar: WorkingCalendar, tz: string,
): Plan {
  return {
    guards: leadStateGuards(stored, after),
    writes: leadStateWrites(stored.state, after, at, calendar, tz, stored.anchors),
    events, counters: [],
  };
}

/** An assignment whose working-day deadlines were counted on a year the calendar did not cover yet. */
export interface ProvisionalAssignment {
  id: string;
  leadId: string;
  deadline: DeadlineState;
  ackDueAt: string | null;
  dueAt: string | null;
  deadlineVersion: number;
  anchors: AssignmentDetailJson['anchors'];
}

export interface RecountedDeadline {
  id: string;
  leadId: string;
  from: Record<string, string | null>;
  to: Record<string, string | null>;
  provisional: boolean;
}

/**
 * Counts provisional working-day deadlines again on the calendar in force (after the bureau
 * entered a year's published arrangement): the assignments whose deadlines moved (or are no longer
 * provisional), their writes, and guards that each is still at the deadline version read.
 */
export function recountProvisional(
  rows: readonly ProvisionalAssignment[], calendar: WorkingCalendar, tz: string, at: string,
): { changed: RecountedDeadline[]; guards: Guard[]; writes: Write[] } {
  const out: { changed: RecountedDeadline[]; guards: Guard[]; writes: Write[] } = { changed: [], guards: [], writes: [] };
  for (const r of rows) {
    let provisional = false;
    const next = { ack_due_at: r.ackDueAt, due_at: r.dueAt };
    for (const [kind, col] of [['ack', 'ack_due_at'], ['due', 'due_at']] as const) {
      const anchor = r.anchors?.[kind];
      if (!anchor) continue;
      const d = recountDeadline(anchor, calendar, tz);
      next[col] = d.dueAt;
      provisional ||= d.provisional;
    }
    if (next.ack_due_at === r.ackDueAt && next.due_at === r.dueAt && provisional) continue;
    const moved: DeadlineState = {
      ...r.deadline, ackDueAt: next.ack_due_at ?? r.deadline.assignedAt, dueAt: next.due_at ?? r.deadline.assignedAt,
    };
    out.guards.push({
      kind: 'exists', table: 'assignments', where: { id: r.id, deadline_version: r.deadlineVersion, status: r.deadline.status },
      reason: `承办记录 ${r.id} 已被他人修改`,
    });
    out.writes.push({
      kind: 'update', table: 'assignments', where: { id: r.id },
      set: {
        ack_due_at: next.ack_due_at, due_at: next.due_at, calendar_provisional: provisional ? 1 : 0,
        deadline_version: r.deadlineVersion + 1, next_reminder_at: nextReminderAt(moved, at, calendar, tz), updated_at: at,
      },
    });
    out.changed.push({
      id: r.id, leadId: r.leadId, provisional,
      from: { ackDueAt: r.ackDueAt, dueAt: r.dueAt }, to: { ackDueAt: next.ack_due_at, dueAt: next.due_at },
    });
  }
  return out;
}

/**
 * The bureau's override table of one year as a plan: the table (guarded: still as read, so two
 * edits of one year do not cross), its event, and the provisional deadlines counted again on the
 * calendar with it, each with its event.
 */
export function calendarEditPlan(
  table: { year: number; published?: boolean; days: Record<string, unknown> }, stored: { updatedAt: string } | undefined,
  recount: ReturnType<typeof recountProvisional>, actor: string, at: string,
): Plan {
  const data = JSON.stringify(table);
  return {
    guards: [
      stored
        ? { kind: 'exists', table: 'calendar_overrides', where: { year: table.year, updated_at: stored.updatedAt }, reason: `${table.year} 年的日历已被他人修改` }
        : { kind: 'absent', table: 'calendar_overrides', where: { year: table.year }, reason: `${table.year} 年的日历已被他人修改` },
      ...recount.guards,
    ],
    writes: [
      { kind: 'insert', table: 'calendar_overrides', row: { year: table.year, data, updated_at: at }, onConflict: { columns: ['year'], update: ['data', 'updated_at'] } },
      ...recount.writes,
    ],
    events: [
      { leadId: null, actor, action: 'calendar.updated', at, data: { year: table.year, published: table.published ?? false, days: Object.keys(table.days).length } },
      ...recount.changed.map((ch) => ({
        leadId: ch.leadId, actor: 'system:calendar', action: 'deadline.recomputed', at,
        data: { assignment: ch.id, from: ch.from, to: ch.to, provisional: ch.provisional },
      })),
    ],
    counters: [],
  };
}
