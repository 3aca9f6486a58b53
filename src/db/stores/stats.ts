// Reads what the statistics need for a period, and the routing proposals of the last 90 days.
// Every read starts from the period's leads (the covering index of migration 009 on created_at),
// so its cost grows with the leads in the period, not with all that are stored.
import { SqliteAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { WorkingCalendar } from '../../domain/calendar/index.ts';
import {
  computeStats, type RoutingAssignmentRow, type RoutingLeadRow, type Stats, type StatsAssignmentRow, type StatsLeadGroup,
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
 * The routing proposals decided in the window: the first primary assignment of each lead that was
 * proposed an agency, when it was made in the window (an index on assigned_at; an earlier primary
 * of the same lead is looked up by the lead's index), with the rules behind the proposal.
 */
async function routingRows(db: Kysely<DB>, from: string, to: string) {
  const rows = await db.selectFrom('assignments').innerJoin('leads', 'leads.id', 'assignments.lead_id')
    .select(['assignments.lead_id', 'assignments.agency', 'assignments.role', 'assignments.assigned_at', 'leads.routing_agency', 'leads.routing_detail'])
    .where('assignments.assigned_at', '>=', from).where('assignments.assigned_at', '<=', to)
    .where('assignments.role', '=', 'primary').where('leads.routing_agency', 'is not', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('assignments as earlier').select(sql`1`.as('one'))
      .whereRef('earlier.lead_id', '=', 'assignments.lead_id').where('earlier.role', '=', 'primary')
      .whereRef('earlier.assigned_at', '<', 'assignments.assigned_at'))))
    .execute();
  const leads: RoutingLeadRow[] = [];
  const assignments: RoutingAssignmentRow[] = [];
  for (const r of rows) {
    assignments.push({ leadId: r.lead_id, agency: r.agency, role: r.role, assignedAt: r.assigned_at });
    const detail = JSON.parse(r.routing_detail ?? 'null') as { candidates?: { agency: string; rules: string[] }[] } | null;
    leads.push({ id: r.lead_id, routingAgency: r.routing_agency, routingRules: detail?.candidates?.find((c) => c.agency === r.routing_agency)?.rules ?? [] });
  }
  return { leads, assignments };
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
