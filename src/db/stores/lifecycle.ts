// Loading a lead's lifecycle state and saving what a transition made of it, inside one write.
import type { Kysely } from 'kysely';
import type { WorkingCalendar } from '../../domain/calendar/index.ts';
import type { AssignmentState, LeadState } from '../../domain/lifecycle/index.ts';
import {
  deadlineStateOf, leadStateWrites, nextReminderAt, recountDeadline,
  type AssignmentDetailJson, type LeadLifecycleJson, type StoredLead,
} from '../../domain/lifecycle/rows.ts';
import type { LeadStatus, Priority, Transfer } from '../../domain/types.ts';
import { runWrites } from '../commit.ts';
import type { DB } from '../schema/index.ts';
import type { Tx } from '../tx.ts';

export { deadlineStateOf, nextReminderAt, openDeadlines, type DeadlineAnchor, type DeadlineState } from '../../domain/lifecycle/rows.ts';

type Reader = Kysely<DB> | Tx;

export async function loadLeadState(tx: Reader, id: string): Promise<LeadState | undefined> {
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

export async function saveLeadState(
  tx: Tx, before: LeadState, after: LeadState, at: string, calendar: WorkingCalendar, tz: string,
): Promise<void> {
  const existing = await tx.selectFrom('assignments').select(['id', 'detail']).where('lead_id', '=', after.id).execute();
  const anchors = new Map(existing.map((r) => [r.id, (JSON.parse(r.detail ?? '{}') as AssignmentDetailJson).anchors]));
  await runWrites(tx, leadStateWrites(before, after, at, calendar, tz, anchors));
}

/** A lead's state as a plan is decided on (src/domain/lifecycle/rows.ts): with its version and anchors. */
export async function loadStoredLead(db: Reader, id: string): Promise<StoredLead | undefined> {
  const state = await loadLeadState(db, id);
  if (!state) return undefined;
  const lead = await db.selectFrom('leads').select('version').where('id', '=', id).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('assignments').select(['id', 'detail']).where('lead_id', '=', id).execute();
  const anchors = new Map(rows.map((r) => [r.id, (JSON.parse(r.detail ?? '{}') as AssignmentDetailJson).anchors]));
  return { state, version: Number(lead.version), anchors };
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
      const d = recountDeadline(anchor, calendar, tz);
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
