// Reads what the statistics need for a period, and the routing proposals of the last 90 days.
// Every read starts from the period's leads (the covering index of migration 009 on created_at),
// so its cost grows with the leads in the period, not with all that are stored.
import { SqliteAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { addDays, localDate, type WorkingCalendar } from '../../domain/calendar/index.ts';
import {
  routingAccuracy, statsOf, workingDayRankSteps, workingDaysOfPairs, type AssignmentTally, type FollowUpTally,
  type RoutingAssignmentRow, type RoutingLeadRow, type Stats, type StatsLeadGroup,
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
function detailFacts(db: Kysely<DB>, a = 'assignments'): [RawBuilder<string | null>, RawBuilder<number | null>, RawBuilder<string | null>] {
  const detail = sql.ref(`${a}.detail`);
  if (isSqlite(db)) {
    return [
      sql<string | null>`json_extract(${detail}, '$.feedback.at')`,
      sql<number | null>`json_extract(${detail}, '$.returned.count')`,
      sql<string | null>`json_extract(${detail}, '$.extension.status')`,
    ];
  }
  return [
    sql<string | null>`(${detail}::jsonb #>> '{feedback,at}')`,
    sql<number | null>`(${detail}::jsonb #>> '{returned,count}')::int`,
    sql<string | null>`(${detail}::jsonb #>> '{extension,status}')`,
  ];
}

const isSqlite = (db: Kysely<DB>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Milliseconds from one ISO instant column to another, as a whole number. */
function msBetween(db: Kysely<DB>, from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<number> {
  return isSqlite(db)
    ? sql<number>`cast(round((julianday(${to}) - julianday(${from})) * 86400000) as integer)`
    : sql<number>`round(extract(epoch from (${to}::timestamptz - ${from}::timestamptz)) * 1000)`;
}

/** The working-day rank of an instant column: a balanced tree of comparisons over the steps. */
function rankOf(x: RawBuilder<unknown>, steps: { at: string; rank: number }[], lo = 0, hi = steps.length - 1): RawBuilder<number> {
  if (lo === hi) return sql<number>`${sql.lit(steps[lo]!.rank)}`;
  const mid = (lo + hi + 1) >> 1;
  return sql<number>`case when ${x} < ${steps[mid]!.at} then ${rankOf(x, steps, lo, mid - 1)} else ${rankOf(x, steps, mid, hi)} end`;
}

/** Dates, before the period and after it, within which working days to rectify are counted in SQL. */
const RANK_MARGIN_BEFORE_DAYS = 31;
const RANK_MARGIN_AFTER_DAYS = 400;

interface TallyRow {
  agency: string | null;
  assigned: number | string; leads: number | string; rectified_leads: number | string;
  acknowledged: number | string; acknowledged_on_time: number | string; rectified: number | string; rectified_on_time: number | string;
  overdue: number | string; escalated: number | string; returned: number | string; extended: number | string;
  closed: number | string; closed_on_time: number | string; closed_ms: number | string | null; overdue_open: number | string;
  work_days: number | string | null; work_days_count: number | string; work_days_outside: number | string;
}

/**
 * The assignments of the scope's leads, added up in SQL: one pass over the scope's leads and their
 * assignments (materialised once), grouped by agency, and once more over all for the distinct leads.
 * Working days to rectify are the difference of two working-day ranks, each a step function of the
 * instant evaluated in SQL; the rare pairs outside the steps' span are read and counted in JS.
 */
async function assignmentTally(
  db: Kysely<DB>, scope: LeadScope, span: { from: string; to: string }, now: string,
  calendar?: { calendar: WorkingCalendar; tz: string },
): Promise<AssignmentTally> {
  const [feedbackAt, returned, extension] = detailFacts(db, 'a');
  const fence = isSqlite(db) ? sql`limit -1 offset 0` : sql`offset 0`;
  const rows = sql`select a.lead_id, a.agency, a.role, a.status, a.assigned_at, a.ack_due_at, a.acknowledged_at, a.due_at, a.closed_at,
      leads.status as lead_status, ${feedbackAt} as fb, ${returned} as ret, ${extension} as ext,
      exists (select 1 from reminders where reminders.assignment_id = a.id and reminders.stage like 'escalation-%') as esc
    from leads inner join assignments a on a.lead_id = leads.id
    where ${inScope(scope)} and leads.status <> 'merged' ${fence}`;
  const r = (c: string) => sql.ref(`r.${c}`);
  const present = (c: string) => sql`(${r(c)} is not null and ${r(c)} <> '')`;
  const open = sql`${r('status')} in ('assigned', 'acknowledged')`;
  const ackLate = sql`(${present('ack_due_at')} and ((${present('acknowledged_at')} and ${r('acknowledged_at')} > ${r('ack_due_at')})
    or (not ${present('acknowledged_at')} and ${r('status')} = 'assigned' and ${r('ack_due_at')} < ${now})))`;
  const rectifyLate = sql`(${present('due_at')} and ((${present('fb')} and ${r('fb')} > ${r('due_at')})
    or (not ${present('fb')} and ${open} and ${r('due_at')} < ${now})))`;
  const closed = sql`(${r('status')} = 'closed' and ${present('closed_at')})`;
  const flag = (cond: RawBuilder<unknown>) => sql`case when ${cond} then 1 else 0 end`;

  // Working days: both instants inside the steps' span and in the stored ISO form, or counted apart.
  let workDays: RawBuilder<unknown> = sql`null`;
  let outside: RawBuilder<unknown> = sql`0`;
  let insideSpan: RawBuilder<unknown> | undefined;
  if (calendar) {
    const from = addDays(localDate(span.from, calendar.tz), -RANK_MARGIN_BEFORE_DAYS);
    const last = [addDays(localDate(now, calendar.tz), 1), addDays(localDate(span.to, calendar.tz), RANK_MARGIN_AFTER_DAYS)].sort()[0]!;
    const { steps, end } = workingDayRankSteps(from, last < from ? from : last, calendar.calendar, calendar.tz);
    const inside = (x: RawBuilder<unknown>) => sql`(${x} >= ${steps[0]!.at} and ${x} < ${end} and length(${x}) = 24)`;
    insideSpan = sql`(${inside(r('assigned_at'))} and ${inside(r('fb'))})`;
    workDays = sql`case when ${present('fb')} and ${insideSpan} then ${rankOf(r('fb'), steps)} - ${rankOf(r('assigned_at'), steps)} end`;
    outside = flag(sql`${present('fb')} and not ${insideSpan}`);
  }
  const aggregates = sql`count(*) as assigned, count(distinct lead_id) as leads, count(distinct rectified_lead) as rectified_leads,
    sum(acknowledged) as acknowledged, sum(acknowledged_on_time) as acknowledged_on_time, sum(rectified) as rectified,
    sum(rectified_on_time) as rectified_on_time, sum(overdue) as overdue, sum(escalated) as escalated, sum(returned) as returned,
    sum(extended) as extended, sum(closed) as closed, sum(closed_on_time) as closed_on_time, sum(closed_ms) as closed_ms,
    sum(overdue_open) as overdue_open, sum(work_days) as work_days, count(work_days) as work_days_count, sum(work_days_outside) as work_days_outside`;
  const result = await sql<TallyRow>`with f as materialized (
      select r.lead_id, r.agency,
        case when ${r('role')} = 'primary' and ${closed} and ${present('fb')} and ${r('lead_status')} = 'closed' then r.lead_id end as rectified_lead,
        ${flag(present('acknowledged_at'))} as acknowledged,
        ${flag(sql`${present('acknowledged_at')} and not ${ackLate}`)} as acknowledged_on_time,
        ${flag(present('fb'))} as rectified,
        ${flag(sql`${present('fb')} and not ${rectifyLate}`)} as rectified_on_time,
        ${flag(sql`${ackLate} or ${rectifyLate}`)} as overdue,
        ${flag(r('esc'))} as escalated,
        ${flag(sql`coalesce(${r('ret')}, 0) > 0`)} as returned,
        ${flag(sql`${r('ext')} = 'approved'`)} as extended,
        ${flag(closed)} as closed,
        ${flag(sql`${closed} and (not ${present('due_at')} or coalesce(${r('fb')}, ${r('closed_at')}) <= ${r('due_at')})`)} as closed_on_time,
        case when ${closed} then ${msBetween(db, r('assigned_at'), r('closed_at'))} end as closed_ms,
        ${flag(sql`not ${closed} and ${open} and ${present('due_at')} and ${r('due_at')} < ${now}`)} as overdue_open,
        ${workDays} as work_days, ${outside} as work_days_outside
      from (${rows}) r
    )
    select agency, ${aggregates} from f group by agency
    union all
    select null as agency, ${aggregates} from f`.execute(db);

  const n = (v: number | string | null) => Number(v ?? 0);
  const tally: AssignmentTally = { agencies: {}, assignedLeads: 0, rectifiedLeads: 0 };
  let outsideCount = 0;
  for (const row of result.rows.sort((x, y) => (x.agency ?? '').localeCompare(y.agency ?? ''))) {
    if (row.agency === null) {
      tally.assignedLeads = n(row.leads);
      tally.rectifiedLeads = n(row.rectified_leads);
      continue;
    }
    outsideCount += n(row.work_days_outside);
    tally.agencies[row.agency] = {
      assigned: n(row.assigned), leads: n(row.leads), acknowledged: n(row.acknowledged), acknowledgedOnTime: n(row.acknowledged_on_time),
      rectified: n(row.rectified), rectifiedOnTime: n(row.rectified_on_time), overdue: n(row.overdue), escalated: n(row.escalated),
      returned: n(row.returned), extended: n(row.extended), closed: n(row.closed), closedOnTime: n(row.closed_on_time),
      closedMs: n(row.closed_ms), overdueOpen: n(row.overdue_open), workDays: n(row.work_days), workDaysCount: n(row.work_days_count),
    };
  }
  if (calendar && insideSpan && outsideCount > 0) {
    // the pairs the steps do not cover, counted the way computeStats counts them
    const apart = await sql<{ agency: string; assigned_at: string; fb: string }>`select r.agency, r.assigned_at, r.fb from (${rows}) r
      where ${present('fb')} and not ${insideSpan}`.execute(db);
    const days = workingDaysOfPairs(apart.rows.map((p) => [p.assigned_at, p.fb]), calendar.calendar, calendar.tz);
    apart.rows.forEach((p, i) => {
      const e = tally.agencies[p.agency]!;
      e.workDays += days[i]!;
      e.workDaysCount++;
    });
  }
  return tally;
}

/** Follow-up visits of the scope's leads with an answer, and the satisfied ones. */
async function followUpTally(db: Kysely<DB>, scope: LeadScope): Promise<FollowUpTally> {
  const row = await db.selectFrom('leads').innerJoin('follow_ups', 'follow_ups.lead_id', 'leads.id').where(inScope(scope))
    .select([
      sql<number | string>`count(follow_ups.satisfied)`.as('done'),
      sql<number | string>`count(case when follow_ups.satisfied <> 0 then 1 end)`.as('satisfied'),
    ]).executeTakeFirst();
  return { done: Number(row?.done ?? 0), satisfied: Number(row?.satisfied ?? 0) };
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
  const [base, routing] = await Promise.all([scopeTallies(db, period, period, now, calendar), routingRows(db, windowFrom, now)]);
  return statsOf({ period, ...base, routing: routingAccuracy(routing.leads, routing.assignments, { from: windowFrom, to: now }) });
}

async function scopeTallies(
  db: Kysely<DB>, scope: LeadScope, span: { from: string; to: string }, now: string, calendar?: { calendar: WorkingCalendar; tz: string },
) {
  const [groups, tally, followUps] = await Promise.all([
    leadGroups(db, scope), assignmentTally(db, scope, span, now, calendar), followUpTally(db, scope),
  ]);
  return { groups, tally, followUps };
}

/** The figures of a campaign's leads (no routing accuracy: `routing` is empty). */
export async function campaignStats(
  db: Kysely<DB>, campaign: string, period: { from: string; to: string }, now: string,
  calendar?: { calendar: WorkingCalendar; tz: string },
): Promise<Stats> {
  const base = await scopeTallies(db, { campaign }, period, now, calendar);
  return statsOf({ period, ...base, routing: routingAccuracy([], [], { from: now, to: now }) });
}
