// Loading a lead's lifecycle state and saving what a transition made of it, inside one write.
import {
  computeDeadline, localDate, nextStageAt, type TrackedDeadline, type WorkingCalendar,
} from '../../domain/calendar/index.ts';
import type { AssignmentState, LeadState } from '../../domain/lifecycle/index.ts';
import type { LeadStatus, Priority, Transfer } from '../../domain/types.ts';
import type { Tx } from '../write.ts';

interface LeadLifecycleJson {
  pendingExtension?: LeadState['pendingExtension'];
  reopened?: boolean;
  reopenedCount?: number;
  followUps?: LeadState['followUps'];
}

/** How a working-day deadline was counted, so it can be counted again when a year's calendar arrives. */
export interface DeadlineAnchor { from: string; workingDays: number }

interface AssignmentDetailJson {
  feedback?: AssignmentState['feedback'];
  returned?: AssignmentState['returned'];
  extension?: AssignmentState['extension'];
  anchors?: { ack?: DeadlineAnchor; due?: DeadlineAnchor };
}

export async function loadLeadState(tx: Tx, id: string): Promise<LeadState | undefined> {
  const lead = await tx.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
  if (!lead) return undefined;
  const rows = await tx.selectFrom('assignments').selectAll().where('lead_id', '=', id)
    .orderBy('assigned_at').orderBy('id').execute();
  const life = JSON.parse(lead.lifecycle) as LeadLifecycleJson;
  const state: LeadState = {
    id: lead.id, status: lead.status as LeadStatus, priority: lead.priority as Priority, mergedInto: lead.merged_into,
    routing: { agency: lead.routing_agency, transfer: lead.routing_transfer as Transfer | null },
    assignments: rows.map((r) => {
      const detail = JSON.parse(r.detail ?? '{}') as AssignmentDetailJson;
      const a: AssignmentState = {
        id: r.id, agency: r.agency, role: r.role as AssignmentState['role'], status: r.status as AssignmentState['status'],
        assignedAt: r.assigned_at, ackDueAt: r.ack_due_at ?? r.assigned_at, dueAt: r.due_at ?? r.assigned_at,
        ackBasis: (r.ack_basis ?? 'workingDays') as AssignmentState['ackBasis'],
        dueBasis: (r.due_basis ?? 'workingDays') as AssignmentState['dueBasis'],
        calendarProvisional: Boolean(r.calendar_provisional), deadlineVersion: Number(r.deadline_version ?? 1),
      };
      if (r.acknowledged_at) a.acknowledgedAt = r.acknowledged_at;
      if (r.closed_at) a.closedAt = r.closed_at;
      if (detail.feedback) a.feedback = detail.feedback;
      if (detail.returned) a.returned = detail.returned;
      if (detail.extension) a.extension = detail.extension;
      return a;
    }),
  };
  if (life.pendingExtension) state.pendingExtension = life.pendingExtension;
  if (life.reopened) state.reopened = life.reopened;
  if (life.reopenedCount) state.reopenedCount = life.reopenedCount;
  if (life.followUps) state.followUps = life.followUps;
  return state;
}

/** A lead and each lead it is merged into, up to the live one (bounded by the data: no lead twice). */
export async function mergedUpwards(tx: Tx, id: string | null): Promise<string[]> {
  const chain: string[] = [];
  for (let next = id; next && !chain.includes(next);) {
    chain.push(next);
    const row = await tx.selectFrom('leads').select(['status', 'merged_into']).where('id', '=', next).executeTakeFirst();
    next = row?.status === 'merged' ? row.merged_into : null;
  }
  return chain;
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

export async function saveLeadState(
  tx: Tx, before: LeadState, after: LeadState, at: string, calendar: WorkingCalendar, tz: string,
): Promise<void> {
  const life: LeadLifecycleJson = {
    pendingExtension: after.pendingExtension, reopened: after.reopened, reopenedCount: after.reopenedCount,
    followUps: after.followUps,
  };
  await tx.updateTable('leads').set({
    status: after.status, priority: after.priority, merged_into: after.mergedInto,
    routing_transfer: after.routing.transfer, lifecycle: JSON.stringify(life), updated_at: at,
  }).where('id', '=', after.id).execute();

  const old = new Map(before.assignments.map((a) => [a.id, a]));
  const existing = await tx.selectFrom('assignments').select(['id', 'detail']).where('lead_id', '=', after.id).execute();
  const storedDetail = new Map(existing.map((r) => [r.id, JSON.parse(r.detail ?? '{}') as AssignmentDetailJson]));
  for (const a of after.assignments) {
    const prev = old.get(a.id);
    if (prev && JSON.stringify(prev) === JSON.stringify(a)) continue;
    const anchorsBefore = storedDetail.get(a.id)?.anchors ?? {};
    const detail: AssignmentDetailJson = {
      feedback: a.feedback, returned: a.returned, extension: a.extension,
      anchors: {
        ack: anchorFor(prev, a, 'ack', at, calendar, tz, anchorsBefore.ack),
        due: anchorFor(prev, a, 'due', at, calendar, tz, anchorsBefore.due),
      },
    };
    const row = {
      lead_id: after.id, agency: a.agency, role: a.role, status: a.status, assigned_at: a.assignedAt,
      ack_due_at: a.ackDueAt, due_at: a.dueAt, ack_basis: a.ackBasis, due_basis: a.dueBasis,
      calendar_provisional: a.calendarProvisional ? 1 : 0, deadline_version: a.deadlineVersion,
      acknowledged_at: a.acknowledgedAt ?? null, closed_at: a.closedAt ?? null, detail: JSON.stringify(detail),
      next_reminder_at: nextReminderAt(a, at, calendar, tz), updated_at: at,
    };
    if (prev) await tx.updateTable('assignments').set(row).where('id', '=', a.id).execute();
    else await tx.insertInto('assignments').values({ id: a.id, ...row }).execute();
  }
}

/**
 * Counts provisional working-day deadlines again on the calendar in force (after the bureau
 * entered a year's published arrangement). Returns the assignments whose deadlines moved.
 */
export async function recomputeProvisional(
  tx: Tx, calendar: WorkingCalendar, tz: string, at: string,
): Promise<{ id: string; leadId: string; from: Record<string, string | null>; to: Record<string, string | null>; provisional: boolean }[]> {
  const rows = await tx.selectFrom('assignments').selectAll().where('calendar_provisional', '=', 1)
    .where('status', '!=', 'closed').execute();
  const changed = [];
  for (const r of rows) {
    const detail = JSON.parse(r.detail ?? '{}') as AssignmentDetailJson;
    let provisional = false;
    const next: { ack_due_at: string | null; due_at: string | null } = { ack_due_at: r.ack_due_at, due_at: r.due_at };
    for (const [kind, col] of [['ack', 'ack_due_at'], ['due', 'due_at']] as const) {
      const anchor = detail.anchors?.[kind];
      if (!anchor) continue;
      const d = computeDeadline({ workingDays: anchor.workingDays }, anchor.from, calendar, tz);
      next[col] = d.dueAt;
      provisional ||= d.provisional;
    }
    if (next.ack_due_at === r.ack_due_at && next.due_at === r.due_at && provisional) continue;
    const moved = deadlineStateOf({ ...r, ...next });
    await tx.updateTable('assignments').set({
      ack_due_at: next.ack_due_at, due_at: next.due_at, calendar_provisional: provisional ? 1 : 0,
      deadline_version: Number(r.deadline_version ?? 1) + 1, next_reminder_at: nextReminderAt(moved, at, calendar, tz), updated_at: at,
    }).where('id', '=', r.id).execute();
    changed.push({
      id: r.id, leadId: r.lead_id, provisional,
      from: { ackDueAt: r.ack_due_at, dueAt: r.due_at }, to: { ackDueAt: next.ack_due_at, dueAt: next.due_at },
    });
  }
  return changed;
}
