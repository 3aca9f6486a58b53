// The pages' lists: the bureau's queue with every filter it offers (status, agency, channel,
// township, problem type, overdue, due soon, pending extension, date range, search) and
// server-side paging; an agency's own leads by deadline; the dashboard's counts.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import {
  COUNT_CAP, type AgencyQueueRow, type AssignmentRow, type AttentionCounts, type QueueFilters, type QueuePage, type QueueRow,
  type WorkflowDetail,
} from '../../domain/queue.ts';
import type { DB } from '../schema/index.ts';
import { concernsAgency } from './leads.ts';

export { COUNT_CAP, type AssignmentRow, type AttentionCounts, type QueueFilters, type QueueRow } from '../../domain/queue.ts';

const LIST_COLUMNS = [
  'leads.id', 'leads.status', 'leads.title', 'leads.priority', 'leads.township', 'leads.channels', 'leads.report_count',
  'leads.routing_agency', 'leads.routing_transfer', 'leads.problem_types', 'leads.created_at', 'leads.merged_into',
] as const;

function likeText(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Leads with an open deadline passed: driven by the assignments' deadline indexes, not a scan of leads. */
function overdue(eb: ExpressionBuilder<DB, 'leads'>, now: string) {
  return eb('leads.id', 'in', eb.selectFrom('assignments').select('assignments.lead_id')
    .where((w) => w.or([
      w.and([w('assignments.status', '=', 'assigned'), w('assignments.ack_due_at', '<', now)]),
      w.and([w('assignments.status', 'in', ['assigned', 'acknowledged']), w('assignments.due_at', '<', now)]),
    ])));
}

function dueSoon(eb: ExpressionBuilder<DB, 'leads'>, now: string, until: string) {
  return eb('leads.id', 'in', eb.selectFrom('assignments').select('assignments.lead_id')
    .where((w) => w.or([
      w.and([w('assignments.status', '=', 'assigned'), w('assignments.ack_due_at', '>=', now), w('assignments.ack_due_at', '<=', until)]),
      w.and([w('assignments.status', 'in', ['assigned', 'acknowledged']), w('assignments.due_at', '>=', now), w('assignments.due_at', '<=', until)]),
    ])));
}

function extensionPending(eb: ExpressionBuilder<DB, 'leads'>) {
  return eb.and([
    eb('leads.status', 'in', ['assigned', 'rectifying']),
    // A literal, not a parameter: the planners match it to the partial index leads_pending_extension.
    eb('leads.lifecycle', 'like', sql.lit('%"pendingExtension"%')),
  ]);
}

function filtered(db: Kysely<DB>, f: QueueFilters) {
  let q = db.selectFrom('leads');
  if (f.status) q = q.where('leads.status', '=', f.status);
  if (f.agency) {
    const agency = f.agency;
    q = q.where((eb) => concernsAgency(eb, agency));
  }
  if (f.channel) {
    const channel = f.channel;
    // leads.channels lists the channels of the lead's reports and of those merged into it.
    q = q.where('leads.channels', 'like', `%${likeText(JSON.stringify(channel))}%`);
  }
  if (f.township) q = q.where('leads.township', '=', f.township);
  if (f.domain) q = q.where('leads.domain', '=', f.domain);
  if (f.problemType) q = q.where('leads.problem_types', 'like', sql<string>`${`%${likeText(JSON.stringify(f.problemType))}%`} escape '\\'`);
  if (f.overdue) q = q.where((eb) => overdue(eb, f.now));
  if (f.dueSoon) q = q.where((eb) => dueSoon(eb, f.now, f.soonUntil));
  if (f.extension) q = q.where((eb) => extensionPending(eb));
  if (f.from) q = q.where('leads.created_at', '>=', f.from);
  if (f.to) q = q.where('leads.created_at', '<', f.to);
  if (f.q) {
    const like = `%${likeText(f.q)}%`;
    q = q.where((eb) => eb.or([
      eb('leads.id', '=', f.q!.toUpperCase()),
      eb('leads.title', 'like', sql<string>`${like} escape '\\'`),
      eb('leads.content', 'like', sql<string>`${like} escape '\\'`),
    ]));
  }
  return q;
}

/**
 * One page of the queue, newest first; whether a next page exists; and how many leads match in
 * all, exact up to COUNT_CAP (`capped` beyond). A page that is not full knows the total without counting.
 */
export async function queuePage(db: Kysely<DB>, f: QueueFilters): Promise<QueuePage> {
  const offset = (f.page - 1) * f.pageSize;
  const found = await filtered(db, f).select(LIST_COLUMNS).orderBy('leads.created_at', 'desc').orderBy('leads.id', 'desc')
    .limit(f.pageSize + 1).offset(offset).execute() as QueueRow[];
  const hasNext = found.length > f.pageSize;
  const rows = found.slice(0, f.pageSize);
  if (!hasNext && (rows.length > 0 || offset === 0)) return { rows, total: offset + rows.length, capped: false, hasNext };
  const counted = await db.selectFrom(filtered(db, f).select(sql`1`.as('one')).limit(COUNT_CAP + 1).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const n = Number(counted.n);
  return { rows, total: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP, hasNext };
}

/** The assignments of the leads on a page. */
export async function assignmentsOf(db: Kysely<DB>, leadIds: string[]): Promise<AssignmentRow[]> {
  if (leadIds.length === 0) return [];
  return db.selectFrom('assignments').select(['id', 'lead_id', 'agency', 'role', 'status', 'ack_due_at', 'due_at'])
    .where('lead_id', 'in', leadIds).orderBy('assigned_at').orderBy('id').execute();
}

/** An agency's own assignments, open ones first by the deadline that matters now, then the finished ones. */
export async function agencyQueue(db: Kysely<DB>, agency: string, page: number, pageSize: number): Promise<{ rows: AgencyQueueRow[]; total: number }> {
  const base = db.selectFrom('assignments').innerJoin('leads', 'leads.id', 'assignments.lead_id').where('assignments.agency', '=', agency);
  const [rows, count] = await Promise.all([
    base.select([...LIST_COLUMNS, 'assignments.status as a_status', 'assignments.ack_due_at', 'assignments.due_at'])
      .orderBy(sql`case when assignments.status in ('assigned', 'acknowledged') then 0 else 1 end`)
      // The deadline that matters now: 签收 until acknowledged, then 整改反馈.
      .orderBy(sql`case when assignments.status = 'assigned' then assignments.ack_due_at else assignments.due_at end`)
      .orderBy('leads.id')
      .limit(pageSize).offset((page - 1) * pageSize).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as never, total: Number(count.n) };
}

/** The dashboard: what needs the bureau's attention now (each count exact up to COUNT_CAP). */
export async function attentionCounts(db: Kysely<DB>, now: string, soonUntil: string): Promise<AttentionCounts> {
  const count = async (q: ReturnType<typeof filtered>) => Number((await db.selectFrom(q.select(sql`1`.as('one')).limit(COUNT_CAP + 1).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const base = { now, soonUntil, page: 1, pageSize: 1 };
  const triage = await count(filtered(db, { ...base, status: 'triage' }));
  const dueSoonN = await count(filtered(db, { ...base, dueSoon: true }));
  const overdueN = await count(filtered(db, { ...base, overdue: true }));
  const feedback = await count(filtered(db, { ...base, status: 'feedback' }));
  const extension = await count(filtered(db, { ...base, extension: true }));
  return { triage, dueSoon: dueSoonN, overdue: overdueN, feedback, extension };
}

/** Titles and statuses of some leads (duplicate candidates, merged leads). */
export async function leadHeads(db: Kysely<DB>, ids: string[]): Promise<{ id: string; title: string; status: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('leads').select(['id', 'title', 'status']).where('id', 'in', ids).execute();
}

/** The leads merged straight into this one (each can be split off again: 拆分). */
export async function mergedChildren(db: Kysely<DB>, id: string): Promise<{ id: string; title: string }[]> {
  return db.selectFrom('leads').select(['id', 'title']).where('merged_into', '=', id).where('status', '=', 'merged').orderBy('id').execute();
}

/** What the lead page shows of the workflow beyond the API view: feedback, returns, extensions, report texts. */
export async function workflowDetail(db: Kysely<DB>, id: string): Promise<WorkflowDetail> {
  const [lead, assignments] = await Promise.all([
    db.selectFrom('leads').select(['lifecycle', 'routing_detail']).where('id', '=', id).executeTakeFirst(),
    db.selectFrom('assignments').select(['id', 'detail']).where('lead_id', '=', id).execute(),
  ]);
  return {
    lifecycle: JSON.parse(lead?.lifecycle ?? '{}') as { pendingExtension?: { assignmentId: string; agency: string; workingDays: number; reason: string; requestedAt: string } },
    routingDetail: JSON.parse(lead?.routing_detail ?? 'null') as { candidates?: { agency: string; rules?: string[] }[] } | null,
    assignments: new Map(assignments.map((a) => [a.id, JSON.parse(a.detail ?? '{}') as {
      feedback?: { summary: string; measures: string; evidence: { url: string }[]; at: string };
      returned?: { comment: string; at: string; count: number };
      extension?: { workingDays: number; reason: string; requestedAt: string; status: string; comment?: string };
    }])),
  };
}

/** The texts of a family's reports (shown to the bureau only; free text may carry personal data). */
export async function reportTexts(db: Kysely<DB>, reportIds: string[]): Promise<Map<string, string>> {
  if (reportIds.length === 0) return new Map();
  const rows = await db.selectFrom('reports').select(['id', 'content']).where('id', 'in', reportIds).execute();
  return new Map(rows.map((r) => [r.id, r.content]));
}
