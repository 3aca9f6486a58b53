// Reads what the statistics need for a period, and the routing proposals of the last 90 days.
// Every read starts from the period's leads (the covering index of migration 009 on created_at),
// so its cost grows with the leads in the period, not with all that are stored.
import { SqliteAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { WorkingCalendar } from '../../domain/calendar/index.ts';
import {
  computeStats, type Stats, type StatsAssignmentRow, type StatsLeadGroup, type StatsLeadRow,
} from '../../domain/stats.ts';
import type { DB } from '../schema/index.ts';

const ROUTING_WINDOW_DAYS = 90;

/** Which leads are counted: those registered in [from, to), or those tagged to a campaign. */
export type LeadScope = { from: string; to: string } | { campaign: string };

function inScope(s: LeadScope) {
  return 'campaign' in s
    ? sql<SqlBool>`leads.id in (select lead_id from campaign_leads where campaign_id = ${s.campaign})`
    : sql<SqlBool>`leads.created_at >= ${s.from} and leads.created_at < ${s.to}`;
}

async function leadGroups(db: Kysely<DB>, scope: LeadScope): Promise<StatsLeadGroup[]> {
  const rows = await db.selectFrom('leads').select([
    'status', 'channels', 'problem_types', 'domain', 'township', 'routing_transfer',
    sql<number>`count(*)`.as('n'), sql<number>`sum(report_count)`.as('reports'),
  ]).where(inScope(scope))
    .groupBy(['status', 'channels', 'problem_types', 'domain', 'township', 'routing_transfer']).execute();
  const parsed = new Map<string, string[]>();
  const list = (json: string) => {
    let v = parsed.get(json);
    if (!v) parsed.set(json, (v = JSON.parse(json) as string[]));
    return v;
  };
  return rows.map((r) => ({
    status: r.status, channels: list(r.channels) as StatsLeadGroup['channels'], problemTypes: list(r.problem_types),
    domain: r.domain, township: r.township, routingTransfer: r.routing_transfer, leads: Number(r.n), reports: Number(r.reports),
  }));
}

interface DetailJson {
  feedback?: { at: string };
  returned?: { count: number };
  extension?: { status: string };
}

function assignmentRow(r: {
  lead_id: string; lead_status?: string; agency: string; role: string; status: string; assigned_at: string;
  ack_due_at: string | null; acknowledged_at: string | null; due_at: string | null; closed_at: string | null; detail: string | null;
}, escalated = false): StatsAssignmentRow {
  const detail = JSON.parse(r.detail ?? '{}') as DetailJson;
  return {
    leadId: r.lead_id, agency: r.agency, role: r.role, status: r.status, assignedAt: r.assigned_at,
    ackDueAt: r.ack_due_at, acknowledgedAt: r.acknowledged_at, dueAt: r.due_at,
    feedbackAt: detail.feedback?.at ?? null, closedAt: r.closed_at,
    returnedCount: detail.returned?.count ?? 0, extended: detail.extension?.status === 'approved', escalated,
    ...(r.lead_status ? { leadStatus: r.lead_status } : {}),
  };
}

/**
 * The three facts the statistics need from an assignment's JSON detail, read in SQL (the detail
 * also holds the feedback's text and evidence, which need not travel).
 */
function detailFacts(db: Kysely<DB>): [RawBuilder<string | null>, RawBuilder<number | null>, RawBuilder<string | null>] {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    return [
      sql<string | null>`json_extract(assignments.detail, '$.feedback.at')`,
      sql<number | null>`json_extract(assignments.detail, '$.returned.count')`,
      sql<string | null>`json_extract(assignments.detail, '$.extension.status')`,
    ];
  }
  return [
    sql<string | null>`(assignments.detail::jsonb #>> '{feedback,at}')`,
    sql<number | null>`(assignments.detail::jsonb #>> '{returned,count}')::int`,
    sql<string | null>`(assignments.detail::jsonb #>> '{extension,status}')`,
  ];
}

/** The assignments of the scope's leads, with whether each was escalated (督办). */
async function scopeAssignments(db: Kysely<DB>, scope: LeadScope): Promise<StatsAssignmentRow[]> {
  const [feedbackAt, returned, extension] = detailFacts(db);
  const rows = await db.selectFrom('leads').innerJoin('assignments', 'assignments.lead_id', 'leads.id')
    .where(inScope(scope))
    .select((eb) => [
      'assignments.lead_id', 'leads.status as lead_status', 'assignments.agency', 'assignments.role',
      'assignments.status', 'assignments.assigned_at', 'assignments.ack_due_at', 'assignments.acknowledged_at',
      'assignments.due_at', 'assignments.closed_at',
      feedbackAt.as('feedback_at'), returned.as('returned_count'), extension.as('extension_status'),
      // a correlated look-up by the reminders' primary key, so the scope's leads drive the query
      eb.exists(eb.selectFrom('reminders').select(sql`1`.as('one')).whereRef('reminders.assignment_id', '=', 'assignments.id')
        .where('reminders.stage', 'like', 'escalation-%')).as('escalated'),
    ]).execute();
  return rows.map((r) => ({
    leadId: r.lead_id, leadStatus: r.lead_status, agency: r.agency, role: r.role, status: r.status, assignedAt: r.assigned_at,
    ackDueAt: r.ack_due_at, acknowledgedAt: r.acknowledged_at, dueAt: r.due_at, feedbackAt: r.feedback_at, closedAt: r.closed_at,
    returnedCount: Number(r.returned_count ?? 0), extended: r.extension_status === 'approved', escalated: Boolean(r.escalated),
  }));
}

/**
 * The routing proposals decided in the window: primary assignments made then (an index on
 * assigned_at) and their leads' proposals; only leads that were proposed an agency count.
 */
async function routingRows(db: Kysely<DB>, from: string, to: string) {
  const rows = await db.selectFrom('assignments').innerJoin('leads', 'leads.id', 'assignments.lead_id')
    .select([
      'assignments.lead_id', 'assignments.agency', 'assignments.role', 'assignments.status', 'assignments.assigned_at',
      'assignments.ack_due_at', 'assignments.acknowledged_at', 'assignments.due_at', 'assignments.closed_at',
      sql<string | null>`null`.as('detail'),
      'leads.status as lead_status', 'leads.routing_agency', 'leads.routing_transfer', 'leads.routing_detail',
      'leads.channels', 'leads.report_count', 'leads.problem_types', 'leads.domain', 'leads.created_at',
    ])
    .where('assignments.assigned_at', '>=', from).where('assignments.assigned_at', '<=', to)
    .where('assignments.role', '=', 'primary').where('leads.routing_agency', 'is not', null).execute();
  const leads = new Map<string, StatsLeadRow>();
  const assignments: StatsAssignmentRow[] = [];
  for (const r of rows) {
    assignments.push(assignmentRow(r));
    if (leads.has(r.lead_id)) continue;
    const detail = JSON.parse(r.routing_detail ?? 'null') as { candidates?: { agency: string; rules: string[] }[] } | null;
    leads.set(r.lead_id, {
      id: r.lead_id, status: r.lead_status, channels: JSON.parse(r.channels), reportCount: Number(r.report_count),
      routingAgency: r.routing_agency, routingTransfer: r.routing_transfer,
      routingRules: detail?.candidates?.find((c) => c.agency === r.routing_agency)?.rules ?? [],
      problemTypes: JSON.parse(r.problem_types), domain: r.domain, createdAt: r.created_at,
    });
  }
  // A lead assigned again later (不满意重办) counts by its first primary: include its earlier ones.
  const ids = [...leads.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const earlier = await db.selectFrom('assignments').selectAll().where('lead_id', 'in', ids.slice(i, i + 500))
      .where('role', '=', 'primary').where('assigned_at', '<', from).execute();
    for (const r of earlier) assignments.push(assignmentRow(r));
  }
  return { leads: [...leads.values()], assignments };
}

export async function periodStats(
  db: Kysely<DB>, period: { from: string; to: string }, now: string,
  calendar?: { calendar: WorkingCalendar; tz: string },
): Promise<Stats> {
  const windowFrom = new Date(Date.parse(now) - ROUTING_WINDOW_DAYS * 86_400_000).toISOString();
  const [base, routing] = await Promise.all([scopeRows(db, period), routingRows(db, windowFrom, now)]);
  return computeStats({
    period, ...base, now, ...(calendar ?? {}),
    routingWindow: { from: windowFrom, to: now }, routingLeads: routing.leads, routingAssignments: routing.assignments,
  });
}

async function scopeRows(db: Kysely<DB>, scope: LeadScope) {
  const [groups, assignments, followUps] = await Promise.all([
    leadGroups(db, scope),
    scopeAssignments(db, scope),
    db.selectFrom('leads').innerJoin('follow_ups', 'follow_ups.lead_id', 'leads.id').select('follow_ups.satisfied').where(inScope(scope)).execute(),
  ]);
  return { groups, assignments, followUps: followUps.map((f) => ({ satisfied: f.satisfied === null ? null : Boolean(f.satisfied) })) };
}

/** The figures of a campaign's leads (no routing accuracy: `routing` is empty). */
export async function campaignStats(
  db: Kysely<DB>, campaign: string, period: { from: string; to: string }, now: string,
  calendar?: { calendar: WorkingCalendar; tz: string },
): Promise<Stats> {
  const base = await scopeRows(db, { campaign });
  return computeStats({
    period, ...base, now, ...(calendar ?? {}),
    routingWindow: { from: now, to: now }, routingLeads: [], routingAssignments: [],
  });
}
