// Reading leads: one lead with its reports and assignments, lists with filters and a cursor,
// always within what the caller may see. The views are whole; src/app seals them for the caller.
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type {
  AssignmentView, Disclosure, EventView, LeadFilters, LeadReads, LeadRecord, LeadSummary, LeadView, Rectification,
  ReportRecord, Scope,
} from '../../domain/lead.ts';
import { sealLead } from '../../domain/privacy/sealLead.ts';
import { maskText, textMasker, type Person, type TextMasker } from '../../domain/privacy/maskText.ts';
import type { LeadStatus, Priority, Role, Source, Transfer } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';
import type { Tx } from '../tx.ts';
import type { Selectable } from 'kysely';
import type { LeadsTable } from '../schema/leads.ts';
import type { ReportsTable } from '../schema/reports.ts';
import type { AssignmentsTable } from '../schema/assignments.ts';

export type { LeadFilters, LeadSummary, Scope };

function scoped<O>(q: SelectQueryBuilder<DB, 'leads', O>, scope: Scope): SelectQueryBuilder<DB, 'leads', O> {
  if (scope.kind === 'agency') {
    return q.where((eb) => eb.exists(eb.selectFrom('assignments').select(sql`1`.as('one'))
      .whereRef('assignments.lead_id', '=', 'leads.id').where('assignments.agency', '=', scope.agency)));
  }
  if (scope.kind === 'supervisor') {
    // The leads holding the supervisor's reports, and every lead they were merged into: where each report ended.
    return q.where(sql<boolean>`leads.id in (with recursive up(id) as (
      select lead_id from reports where supervisor_id = ${scope.supervisorId}
      union select l.merged_into from leads l join up on l.id = up.id where l.status = 'merged' and l.merged_into is not null
    ) select id from up)`);
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

/** The lead as one disclosure level sees it (no supervisor scoping: use src/app/readLead.ts for a caller). */
export async function leadView(
  db: Kysely<DB>, lead: Selectable<LeadsTable>, disclosure: Disclosure,
): Promise<LeadDetail> {
  const role: Role = disclosure === 'full' ? 'bureau' : disclosure === 'none' ? 'viewer' : 'agency';
  return sealLead(await leadRecord(db, lead), { role, tokenId: '' });
}

/** The lead, whole: its reports and those of every lead merged into it, its assignments, the approved rectification. */
export async function leadRecord(db: Kysely<DB>, lead: Selectable<LeadsTable>): Promise<LeadRecord> {
  const [reports, assignments] = await Promise.all([
    reportsOf(db, [lead.id]).then((m) => m.get(lead.id) ?? []),
    db.selectFrom('assignments').selectAll().where('lead_id', '=', lead.id).orderBy('assigned_at').orderBy('id').execute(),
  ]);
  return { summary: summary(lead), reports, assignments: assignments.map(assignmentView), rectification: rectificationOf(assignments) };
}

function assignmentView(a: Selectable<AssignmentsTable>): AssignmentView {
  return {
    id: a.id, agency: a.agency, role: a.role as 'primary' | 'assist', status: a.status, assignedAt: a.assigned_at,
    ackDueAt: a.ack_due_at, dueAt: a.due_at, calendarProvisional: Boolean(a.calendar_provisional),
  };
}

/** The latest primary assignment closed with its feedback: only 审核通过 closes one that way. */
function rectificationOf(assignments: Selectable<AssignmentsTable>[]): Rectification | null {
  let best: Rectification | null = null;
  for (const a of assignments) {
    if (a.role !== 'primary' || a.status !== 'closed' || !a.closed_at) continue;
    const feedback = (JSON.parse(a.detail ?? '{}') as { feedback?: { summary?: string } }).feedback;
    if (typeof feedback?.summary !== 'string') continue;
    if (!best || a.closed_at > best.approvedAt) best = { agency: a.agency, summary: feedback.summary, approvedAt: a.closed_at };
  }
  return best;
}

const REPORT_COLUMNS = [
  'id', 'lead_id', 'source', 'external_id', 'received_at', 'reported_at', 'revision', 'duplicate', 'title', 'content',
  'address', 'township', 'subject', 'category', 'url', 'evidence', 'reporter_name', 'reporter_phone', 'confidential',
  'supervisor_id', 'outlet',
] as const;

function reportRecord(r: Pick<Selectable<ReportsTable>, typeof REPORT_COLUMNS[number]>): ReportRecord {
  return {
    id: r.id, leadId: r.lead_id, source: r.source as Source, externalId: r.external_id, receivedAt: r.received_at,
    reportedAt: r.reported_at, revision: Number(r.revision), duplicate: Boolean(r.duplicate), title: r.title, content: r.content,
    address: r.address, township: r.township, subject: r.subject, category: r.category, url: r.url,
    evidence: JSON.parse(r.evidence),
    reporter: {
      name: r.reporter_name, phone: r.reporter_phone, confidential: Boolean(r.confidential),
      supervisorId: r.supervisor_id, outlet: r.outlet,
    },
  };
}

/** For each lead, the leads merged into it however deep (and itself). A lead may belong to several of the given ones. */
async function families(db: Kysely<DB> | Tx, ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const rootsOf = new Map<string, Set<string>>(ids.map((id) => [id, new Set([id])]));
  let frontier = [...new Set(ids)];
  while (frontier.length > 0) {
    const rows = await db.selectFrom('leads').select(['id', 'merged_into']).where('merged_into', 'in', frontier)
      .where('status', '=', 'merged').execute();
    const next: string[] = [];
    for (const r of rows) {
      const from = rootsOf.get(r.merged_into!)!;
      const mine = rootsOf.get(r.id) ?? new Set<string>();
      const before = mine.size;
      for (const root of from) mine.add(root);
      rootsOf.set(r.id, mine);
      if (mine.size > before) next.push(r.id);
    }
    frontier = next;
  }
  return rootsOf;
}

/** Every report of each lead's family (itself and every lead merged into it), oldest first. */
export async function reportsOf(db: Kysely<DB> | Tx, leadIds: readonly string[]): Promise<Map<string, ReportRecord[]>> {
  const out = new Map<string, ReportRecord[]>(leadIds.map((id) => [id, []]));
  if (leadIds.length === 0) return out;
  const rootsOf = await families(db, leadIds);
  const members = [...rootsOf.keys()];
  for (let i = 0; i < members.length; i += 500) {
    const rows = await db.selectFrom('reports').select(REPORT_COLUMNS).where('lead_id', 'in', members.slice(i, i + 500)).execute();
    for (const r of rows) for (const root of rootsOf.get(r.lead_id) ?? []) out.get(root)!.push(reportRecord(r));
  }
  for (const list of out.values()) list.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : 1));
  return out;
}

/**
 * For notices (mails, robot messages): a text masker per lead, from the reporters of its family.
 * Read inside the transaction that queues the notice, so a report stored in it counts.
 */
export async function noticeMaskers(tx: Kysely<DB> | Tx, leadIds: readonly string[]): Promise<(leadId: string | null) => TextMasker> {
  const maskers = new Map<string, TextMasker>();
  if (leadIds.length > 0) {
    const rootsOf = await families(tx, leadIds);
    const people = new Map<string, Person[]>(leadIds.map((id) => [id, []]));
    const rows = await tx.selectFrom('reports').select(['lead_id', 'reporter_name', 'reporter_phone', 'confidential'])
      .where('lead_id', 'in', [...rootsOf.keys()])
      .where((eb) => eb.or([eb('reporter_name', 'is not', null), eb('reporter_phone', 'is not', null)])).execute();
    for (const r of rows) {
      for (const root of rootsOf.get(r.lead_id) ?? []) {
        people.get(root)!.push({ name: r.reporter_name, phone: r.reporter_phone, confidential: Boolean(r.confidential) });
      }
    }
    for (const [id, list] of people) maskers.set(id, textMasker(list));
  }
  return (leadId) => (leadId !== null && maskers.get(leadId)) || maskText;
}

/** The reads of src/app's lead use cases, over one connection. */
export function leadReads(db: Kysely<DB>): LeadReads {
  return {
    find: async (id, scope) => {
      const lead = await findVisibleLead(db, id, scope);
      return lead ? leadRecord(db, lead) : undefined;
    },
    list: async (filters, scope) => (await listLeads(db, filters, scope)).map(summary),
    reportsOf: (ids) => reportsOf(db, ids),
    events: (leadId) => leadEvents(db, leadId),
  };
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

/** A lead is about an agency when routing proposed it or the agency holds an assignment of it. */
export function concernsAgency(eb: ExpressionBuilder<DB, 'leads'>, agency: string) {
  return eb.or([
    eb('leads.routing_agency', '=', agency),
    eb.exists(eb.selectFrom('assignments').select(sql`1`.as('one'))
      .whereRef('assignments.lead_id', '=', 'leads.id').where('assignments.agency', '=', agency)),
  ]);
}

export async function listLeads(db: Kysely<DB>, f: LeadFilters, scope: Scope): Promise<Selectable<LeadsTable>[]> {
  let q = scoped(db.selectFrom('leads').selectAll('leads'), scope);
  if (f.status) q = q.where('leads.status', '=', f.status);
  if (f.agency) {
    const agency = f.agency;
    q = q.where((eb) => concernsAgency(eb, agency));
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

export async function leadEvents(db: Kysely<DB>, leadId: string): Promise<EventView[]> {
  const rows = await db.selectFrom('events').selectAll().where('lead_id', '=', leadId).orderBy('seq').execute();
  return rows.map((e) => ({
    seq: Number(e.seq), at: e.at, actor: e.actor, action: e.action, reportId: e.report_id,
    data: JSON.parse(e.data) as Record<string, unknown>, hash: e.hash,
  }));
}
