// Loading a lead's lifecycle state (and the family trees of merges) as plans are decided on.
import type { Kysely } from 'kysely';
import type { AssignmentState, LeadState } from '../../domain/lifecycle/index.ts';
import type { FamilyLink, FamilyReport, FamilyTree } from '../../domain/lifecycle/family.ts';
import type { AssignmentDetailJson, LeadLifecycleJson, StoredLead } from '../../domain/lifecycle/rows.ts';
import type { LeadStatus, Priority, Transfer } from '../../domain/types.ts';
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

/**
 * The family trees around the given leads, for a merge or an unmerge planned on them: each lead
 * and every lead above it up to the live one, every lead merged into those (however deep), with
 * their versions, and the reports of all of them. Bounded by the data (no lead read twice).
 */
export async function loadFamilyTree(db: Reader, ids: readonly string[]): Promise<FamilyTree> {
  const links = new Map<string, FamilyLink>();
  const link = (r: { id: string; status: string; merged_into: string | null; version: number }): FamilyLink =>
    ({ id: r.id, status: r.status as LeadStatus, mergedInto: r.merged_into, version: Number(r.version) });
  const roots = new Set<string>();
  for (const start of ids) {
    for (let next: string | null = start; next && !links.has(next);) {
      const row = await db.selectFrom('leads').select(['id', 'status', 'merged_into', 'version']).where('id', '=', next).executeTakeFirst();
      if (!row) break;
      links.set(row.id, link(row));
      if (row.status === 'merged' && row.merged_into) next = row.merged_into;
      else {
        roots.add(row.id);
        next = null;
      }
    }
  }
  for (let frontier = [...roots]; frontier.length > 0;) {
    const rows = await db.selectFrom('leads').select(['id', 'status', 'merged_into', 'version'])
      .where('merged_into', 'in', frontier).where('status', '=', 'merged').execute();
    frontier = [];
    for (const r of rows) {
      if (links.has(r.id)) continue;
      links.set(r.id, link(r));
      frontier.push(r.id);
    }
  }
  const members = [...links.keys()];
  const reports: FamilyReport[] = [];
  for (let i = 0; i < members.length; i += 500) {
    const rows = await db.selectFrom('reports').select(['id', 'lead_id', 'source', 'received_at']).where('lead_id', 'in', members.slice(i, i + 500)).execute();
    reports.push(...rows.map((r) => ({ id: r.id, leadId: r.lead_id, source: r.source, receivedAt: r.received_at })));
  }
  return { links: [...links.values()], reports };
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
