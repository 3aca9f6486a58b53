// Reading leads: one lead with its reports and assignments, lists with filters and a cursor,
// always within what the caller may see.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { AssignmentView, Disclosure, LeadView, ReportView } from '../../domain/lead.ts';
import { discloseReporter } from '../../domain/lead.ts';
import type { LeadStatus, Priority, Source, Transfer } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';
import type { Tx } from '../write.ts';
import type { Selectable } from 'kysely';
import type { LeadsTable } from '../schema/leads.ts';

/** What part of the leads a caller may see: all, an agency's assignments, or a supervisor's own submissions. */
export type Scope = { kind: 'all' } | { kind: 'agency'; agency: string } | { kind: 'supervisor'; supervisorId: string };

function scoped<O>(q: SelectQueryBuilder<DB, 'leads', O>, scope: Scope): SelectQueryBuilder<DB, 'leads', O> {
  if (scope.kind === 'agency') {
    return q.where((eb) => eb.exists(eb.selectFrom('assignments').select(sql`1`.as('one'))
      .whereRef('assignments.lead_id', '=', 'leads.id').where('assignments.agency', '=', scope.agency)));
  }
  if (scope.kind === 'supervisor') {
    return q.where((eb) => eb.exists(eb.selectFrom('reports').select(sql`1`.as('one'))
      .whereRef('reports.lead_id', '=', 'leads.id').where('reports.supervisor_id', '=', scope.supervisorId)));
  }
  return q;
}

export async function findVisibleLead(db: Kysely<DB>, id: string, scope: Scope): Promise<Selectable<LeadsTable> | undefined> {
  return scoped(db.selectFrom('leads').selectAll('leads').where('leads.id', '=', id), scope).executeTakeFirst();
}

export interface LeadDetail {
  view: LeadView;
  /** Reports whose reporter's name or phone were shown unmasked. */
  unmaskedReports: string[];
}

export async function leadView(
  db: Kysely<DB>, lead: Selectable<LeadsTable>, disclosure: Disclosure,
): Promise<LeadDetail> {
  const family = await familyIds(db, lead.id);
  const [reports, assignments] = await Promise.all([
    db.selectFrom('reports').selectAll().where('lead_id', 'in', family).orderBy('received_at').orderBy('id').execute(),
    db.selectFrom('assignments').selectAll().where('lead_id', '=', lead.id).orderBy('assigned_at').orderBy('id').execute(),
  ]);
  const unmaskedReports: string[] = [];
  const reportViews: ReportView[] = reports.map((r) => {
    if (disclosure === 'full' && (r.reporter_name || r.reporter_phone)) unmaskedReports.push(r.id);
    return {
      id: r.id, source: r.source as Source, externalId: r.external_id, receivedAt: r.received_at,
      reportedAt: r.reported_at, revision: Number(r.revision), duplicate: Boolean(r.duplicate), title: r.title,
      url: r.url, evidence: JSON.parse(r.evidence),
      reporter: discloseReporter({
        name: r.reporter_name, phone: r.reporter_phone, confidential: Boolean(r.confidential),
        supervisorId: r.supervisor_id, outlet: r.outlet,
      }, disclosure),
    };
  });
  const assignmentViews: AssignmentView[] = assignments.map((a) => ({
    id: a.id, agency: a.agency, role: a.role as 'primary' | 'assist', status: a.status, assignedAt: a.assigned_at,
    ackDueAt: a.ack_due_at, dueAt: a.due_at, calendarProvisional: Boolean(a.calendar_provisional),
  }));
  return { view: { ...summary(lead), reports: reportViews, assignments: assignmentViews }, unmaskedReports };
}

/**
 * A lead and every lead merged into it (and into those), so a merge never hides a report: one
 * recursive query, as deep as the data goes (UNION drops repeats, so even a cycle ends).
 */
export async function familyIds(db: Kysely<DB> | Tx, id: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`with recursive family(id) as (
      select cast(${id} as text)
      union
      select l.id from leads l join family f on l.merged_into = f.id where l.status = 'merged'
    ) select id from family`.execute(db);
  return [id, ...rows.rows.map((r) => r.id).filter((x) => x !== id)];
}

/** Recounts a lead's reports and channels over its family, after a merge or an unmerge. */
export async function refreshFamily(tx: Tx, id: string): Promise<void> {
  const family = await familyIds(tx, id);
  const reports = await tx.selectFrom('reports').select(['source']).where('lead_id', 'in', family)
    .orderBy('received_at').orderBy('id').execute();
  const channels = [...new Set(reports.map((r) => r.source))];
  await tx.updateTable('leads').set({ report_count: reports.length, channels: JSON.stringify(channels) }).where('id', '=', id).execute();
}

export type LeadSummary = Omit<LeadView, 'reports' | 'assignments'>;

export function summary(lead: Selectable<LeadsTable>): LeadSummary {
  return {
    id: lead.id, status: lead.status as LeadStatus, mergedInto: lead.merged_into, title: lead.title,
    content: lead.content, priority: lead.priority as Priority, address: lead.address, township: lead.township,
    subject: lead.subject, category: lead.category,
    channels: JSON.parse(lead.channels), reportCount: Number(lead.report_count),
    routing: { agency: lead.routing_agency, transfer: lead.routing_transfer as Transfer | null, reason: lead.routing_reason },
    problemTypes: JSON.parse(lead.problem_types), domain: lead.domain,
    duplicateCandidates: JSON.parse(lead.candidates), createdAt: lead.created_at, updatedAt: lead.updated_at,
  };
}

export interface LeadFilters {
  status?: LeadStatus;
  agency?: string;
  source?: Source;
  overdue?: boolean;
  q?: string;
  cursor?: { createdAt: string; id: string };
  limit: number;
  now: string;
}

export async function listLeads(db: Kysely<DB>, f: LeadFilters, scope: Scope): Promise<Selectable<LeadsTable>[]> {
  let q = scoped(db.selectFrom('leads').selectAll('leads'), scope);
  if (f.status) q = q.where('leads.status', '=', f.status);
  if (f.agency) {
    const agency = f.agency;
    q = q.where((eb) => eb.or([
      eb('leads.routing_agency', '=', agency),
      eb.exists(eb.selectFrom('assignments').select(sql`1`.as('one'))
        .whereRef('assignments.lead_id', '=', 'leads.id').where('assignments.agency', '=', agency)),
    ]));
  }
  if (f.source) {
    const source = f.source;
    q = q.where((eb) => eb.exists(eb.selectFrom('reports').select(sql`1`.as('one'))
      .whereRef('reports.lead_id', '=', 'leads.id').where('reports.source', '=', source)));
  }
  if (f.overdue) {
    q = q.where((eb) => eb.exists(eb.selectFrom('assignments').select(sql`1`.as('one'))
      .whereRef('assignments.lead_id', '=', 'leads.id')
      .where('assignments.status', 'in', ['assigned', 'acknowledged'])
      .where((w) => w.or([
        w.and([w('assignments.status', '=', 'assigned'), w('assignments.ack_due_at', '<', f.now)]),
        w('assignments.due_at', '<', f.now),
      ]))));
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) => eb.or([
      eb('leads.title', 'like', sql<string>`${like} escape '\\'`),
      eb('leads.content', 'like', sql<string>`${like} escape '\\'`),
    ]));
  }
  if (f.cursor) {
    const { createdAt, id } = f.cursor;
    q = q.where((eb) => eb.or([
      eb('leads.created_at', '<', createdAt),
      eb.and([eb('leads.created_at', '=', createdAt), eb('leads.id', '<', id)]),
    ]));
  }
  return q.orderBy('leads.created_at', 'desc').orderBy('leads.id', 'desc').limit(f.limit).execute();
}

export async function leadEvents(db: Kysely<DB>, leadId: string) {
  const rows = await db.selectFrom('events').selectAll().where('lead_id', '=', leadId).orderBy('seq').execute();
  return rows.map((e) => ({
    seq: Number(e.seq), at: e.at, actor: e.actor, action: e.action, reportId: e.report_id,
    data: JSON.parse(e.data) as Record<string, unknown>, hash: e.hash,
  }));
}
