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

/**
 * An instant of the steps, written into the statement rather than bound: a year's steps are a few
 * hundred instants, and D1 binds at most 100 values per statement. They are ISO instants this
 * module computed (digits, '-', ':', '.', 'T', 'Z'), never input.
 */
function instant(at: string): RawBuilder<string> {
  if (!/^[0-9T:.Z-]+$/.test(at)) throw new Error(`not an ISO instant: ${at}`);
  return sql.lit(at);
}

/** The working-day rank of an instant column: a balanced tree of comparisons over the steps. */
function rankOf(x: RawBuilder<unknown>, steps: { at: string; rank: number }[], lo = 0, hi = steps.length - 1): RawBuilder<number> {
  if (lo === hi) return sql<number>`${sql.lit(steps[lo]!.rank)}`;
  const mid = (lo + hi + 1) >> 1;
  return sql<number>`case when ${x} < ${instant(steps[mid]!.at)} then ${rankOf(x, steps, lo, mid - 1)} else ${rankOf(x, steps, mid, hi)} end`;
}

/** Dates, before the period and after it, within which working days to rectify are counted in SQL. */
const RANK_MARGIN_BEFORE_DAYS = 31;
const RANK_MARGIN_AFTER_DAYS = 400;

interface TallyRow {
  agency: string;
  assigned: number | string; leads: number | string;
  acknowledged: number | string; acknowledged_on_time: number | string; rectified: number | string; rectified_on_time: number | string;
  overdue: number | string; escalated: number | string; returned: number | string; extended: number | string;
  closed: number | string; closed_on_time: number | string; closed_ms: number | string | null; overdue_open: number | string;
  work_days: number | string | null; work_days_count: number | string;
}

/**
 * The assignments of the scope's leads, added up in SQL: one pass over the scope's leads and their
 * assignments, grouped by agency, each figure a conditional count (the JSON detail is read once per
 * row, in a subquery the planner keeps apart), and one pass over the scope's leads for the distinct
 * leads assigned and rectified. Working days to rectify are the difference of two working-day
 * ranks, each a step function of the instant evaluated in SQL; the rare pairs outside the steps'
 * span are read and counted in JS.
 */
async function assignmentTally(
  db: Kysely<DB>, scope: LeadScope, span: { from: string; to: string }, now: string,
  calendar?: { calendar: WorkingCalendar; tz: string },
): Promise<AssignmentTally> {
  const sqlite = isSqlite(db);
  const [feedbackAt, returned, extension] = detailFacts(db, sqlite ? 'a' : 'j');
  // SQLite reads the JSON text itself; PostgreSQL parses it once per row, in a lateral subquery
  const parsed = sqlite ? sql`` : sql`cross join lateral (select a.detail::jsonb as detail offset 0) j`;
  const rows = sql`select a.lead_id, a.agency, a.role, a.status, a.assigned_at, a.ack_due_at, a.acknowledged_at, a.due_at, a.closed_at,
      ${feedbackAt} as fb, ${returned} as ret, ${extension} as ext,
      exists (select 1 from reminders where reminders.assignment_id = a.id and reminders.stage like 'escalation-%') as esc
    from leads inner join assignments a on a.lead_id = leads.id ${parsed}
    where ${inScope(scope)} and leads.status <> 'merged' ${sqlite ? sql`limit -1 offset 0` : sql`offset 0`}`;
  // PostgreSQL compares text by the database's collation (strcoll) unless told "C": these are ISO
  // instants and codes, compared as bytes, as JS and SQLite compare them, and several times faster
  const r = (c: string) => (sqlite || c === 'esc' || c === 'ret' ? sql`${sql.ref(`r.${c}`)}` : sql`${sql.ref(`r.${c}`)} collate "C"`);
  // `x > ''`: set and not empty (what JS's truthiness of a string asks), null when x is null
  const open = sql`${r('status')} in ('assigned', 'acknowledged')`;
  const closed = sql`(${r('status')} = 'closed' and ${r('closed_at')} > '')`;
  const ackLate = sql`(${r('ack_due_at')} > '' and case when ${r('acknowledged_at')} > '' then ${r('acknowledged_at')} > ${r('ack_due_at')}
    else ${r('status')} = 'assigned' and ${r('ack_due_at')} < ${now} end)`;
  const rectifyLate = sql`(${r('due_at')} > '' and case when ${r('fb')} > '' then ${r('fb')} > ${r('due_at')}
    else ${open} and ${r('due_at')} < ${now} end)`;

  // Working days: both instants inside the steps' span and in the stored ISO form, or counted apart.
  let workDays: RawBuilder<unknown> = sql`cast(null as integer)`;
  let insideSpan: RawBuilder<unknown> = sql`false`;
  if (calendar) {
    const from = addDays(localDate(span.from, calendar.tz), -RANK_MARGIN_BEFORE_DAYS);
    const last = [addDays(localDate(now, calendar.tz), 1), addDays(localDate(span.to, calendar.tz), RANK_MARGIN_AFTER_DAYS)].sort()[0]!;
    const { steps, end } = workingDayRankSteps(from, last < from ? from : last, calendar.calendar, calendar.tz);
    const inside = (x: RawBuilder<unknown>) => sql`${x} >= ${instant(steps[0]!.at)} and ${x} < ${instant(end)} and length(${x}) = 24`;
    insideSpan = sql`(${inside(r('assigned_at'))} and ${inside(r('fb'))})`;
    workDays = sql`case when ${r('fb')} > '' and ${insideSpan} then ${rankOf(r('fb'), steps)} - ${rankOf(r('assigned_at'), steps)} end`;
  }
  const count = (cond: RawBuilder<unknown>) => sql`count(*) filter (where ${cond})`;
  const tallies = sql<TallyRow>`select r.agency, count(*) as assigned, count(distinct r.lead_id) as leads,
      ${count(sql`${r('acknowledged_at')} > ''`)} as acknowledged,
      ${count(sql`${r('acknowledged_at')} > '' and ${ackLate} is not true`)} as acknowledged_on_time,
      ${count(sql`${r('fb')} > ''`)} as rectified,
      ${count(sql`${r('fb')} > '' and ${rectifyLate} is not true`)} as rectified_on_time,
      ${count(sql`${ackLate} is true or ${rectifyLate} is true`)} as overdue,
      ${count(r('esc'))} as escalated,
      ${count(sql`${r('ret')} > 0`)} as returned,
      ${count(sql`${r('ext')} = 'approved'`)} as extended,
      ${count(closed)} as closed,
      ${count(sql`${closed} and ((${r('due_at')} > '') is not true or coalesce(${r('fb')}, ${r('closed_at')}) <= ${r('due_at')})`)} as closed_on_time,
      sum(case when ${closed} then ${msBetween(db, r('assigned_at'), r('closed_at'))} end) as closed_ms,
      ${count(sql`${closed} is not true and ${open} and ${r('due_at')} > '' and ${r('due_at')} < ${now}`)} as overdue_open,
      sum(${workDays}) as work_days,
      ${count(sql`${r('fb')} > '' and ${insideSpan}`)} as work_days_count
    from (${rows}) r group by r.agency order by r.agency`;

  // the distinct leads, from the scope's leads: those with an assignment, and those rectified
  const [fb] = detailFacts(db, 'p');
  const distinct = sql<{ assigned_leads: number | string; rectified_leads: number | string }>`select
      ${count(sql`exists (select 1 from assignments where assignments.lead_id = leads.id)`)} as assigned_leads,
      ${count(sql`leads.status = 'closed' and exists (select 1 from assignments p where p.lead_id = leads.id and p.role = 'primary'
        and p.status = 'closed' and p.closed_at > '' and ${fb} > '')`)} as rectified_leads
    from leads where ${inScope(scope)} and leads.status <> 'merged'`;

  const [result, leads] = await Promise.all([periodDriven(db, (q) => tallies.execute(q)), periodDriven(db, (q) => distinct.execute(q))]);
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  const tally: AssignmentTally = {
    agencies: {}, assignedLeads: n(leads.rows[0]?.assigned_leads), rectifiedLeads: n(leads.rows[0]?.rectified_leads),
  };
  let outside = 0;
  for (const row of result.rows) {
    outside += n(row.rectified) - n(row.work_days_count); // those with feedback, less those counted in SQL
    tally.agencies[row.agency] = {
      assigned: n(row.assigned), leads: n(row.leads), acknowledged: n(row.acknowledged), acknowledgedOnTime: n(row.acknowledged_on_time),
      rectified: n(row.rectified), rectifiedOnTime: n(row.rectified_on_time), overdue: n(row.overdue), escalated: n(row.escalated),
      returned: n(row.returned), extended: n(row.extended), closed: n(row.closed), closedOnTime: n(row.closed_on_time),
      closedMs: n(row.closed_ms), overdueOpen: n(row.overdue_open), workDays: n(row.work_days), workDaysCount: n(row.work_days_count),
    };
  }
  if (calendar && outside > 0) {
    // the pairs the steps do not cover, counted the way computeStats counts them
    const apart = await sql<{ agency: string; assigned_at: string; fb: string }>`select r.agency, r.assigned_at, r.fb from (${rows}) r
      where ${r('fb')} > '' and ${insideSpan} is not true`.execute(db);
    const days = workingDaysOfPairs(apart.rows.map((p) => [p.assigned_at, p.fb]), calendar.calendar, calendar.tz);
    apart.rows.forEach((p, i) => {
      const e = tally.agencies[p.agency]!;
      e.workDays += days[i]!;
      e.workDaysCount++;
    });
  }
  return tally;
}

/**
 * How PostgreSQL runs the scope's queries, in a transaction of their own: driven by the period's
 * leads (nested loops over the indexes on lead_id; left to itself it hashes the whole assignments or
 * follow_ups table once a year's leads are many, so the cost grows with all that are stored), and
 * without jit (LLVM compiling the working-day steps, a tree of a few hundred comparisons, took a
 * minute for one year at 1 M stored leads, where running them plainly takes a fraction of a second).
 * SQLite plans them so by itself.
 */
function periodDriven<T>(db: Kysely<DB>, run: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (isSqlite(db)) return run(db);
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    await sql`set local enable_hashjoin = off`.execute(trx);
    await sql`set local enable_mergejoin = off`.execute(trx);
    await sql`set local work_mem = '32MB'`.execute(trx);
    return run(trx);
  });
}

/** Follow-up visits of the scope's leads with an answer, and the satisfied ones. */
async function followUpTally(db: Kysely<DB>, scope: LeadScope): Promise<FollowUpTally> {
  const row = await periodDriven(db, (q) => q.selectFrom('leads').innerJoin('follow_ups', 'follow_ups.lead_id', 'leads.id').where(inScope(scope))
    .select([
      sql<number | string>`count(follow_ups.satisfied)`.as('done'),
      sql<number | string>`count(case when follow_ups.satisfied <> 0 then 1 end)`.as('satisfied'),
    ]).executeTakeFirst());
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
