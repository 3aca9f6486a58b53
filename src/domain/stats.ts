// The statistics the bureau publishes (API.md §1 `stats`, §4 `/stats`, the annual report), computed
// from plain rows: the period's leads grouped by what is counted, and their assignments.
import type { WorkingCalendar } from './calendar/index.ts';
import { addDays, localDate, startOfLocalDay, toIsoInstant, type IsoDate } from './calendar/index.ts';
import type { Source } from './types.ts';

export interface StatsLeadRow {
  id: string;
  status: string;
  channels: Source[];
  reportCount: number;
  routingAgency: string | null;
  routingTransfer: string | null;
  /** The rules behind the proposed agency. */
  routingRules: string[];
  problemTypes: string[];
  domain: string | null;
  createdAt: string;
}

/** What routing accuracy reads of a lead and of an assignment. */
export type RoutingLeadRow = Pick<StatsLeadRow, 'id' | 'routingAgency' | 'routingRules'>;
export type RoutingAssignmentRow = Pick<StatsAssignmentRow, 'leadId' | 'agency' | 'role' | 'assignedAt'>;

/** The period's leads, grouped by everything counted about a lead (the store groups in SQL). */
export interface StatsLeadGroup {
  status: string;
  channels: Source[];
  problemTypes: string[];
  domain: string | null;
  township: string | null;
  routingTransfer: string | null;
  /** Leads in the group and their reports. */
  leads: number;
  reports: number;
}

export interface StatsAssignmentRow {
  leadId: string;
  /** The lead's status now. */
  leadStatus?: string;
  agency: string;
  role: string;
  status: string;
  assignedAt: string;
  /** 签收 deadline and when it was acknowledged. */
  ackDueAt?: string | null;
  acknowledgedAt?: string | null;
  dueAt: string | null;
  /** When feedback was given (the assignment left 'acknowledged'), if known. */
  feedbackAt: string | null;
  closedAt: string | null;
  /** How often the bureau returned its feedback (审核退回). */
  returnedCount?: number;
  /** Its (latest) extension request was approved (延期). */
  extended?: boolean;
  /** A 督办 (escalation) reminder was recorded for it. */
  escalated?: boolean;
}

/** One agency's figures; the first five fields are the original ones. */
export interface AgencyScore {
  assigned: number;
  closed: number;
  /** Open past its 整改 deadline now. */
  overdueOpen: number;
  closedOnTime: number;
  /** Calendar days from 交办 to 办结. */
  avgDaysToClose: number | null;
  /** Distinct leads the agency was assigned. */
  leads: number;
  acknowledged: number;
  acknowledgedOnTime: number;
  ackOnTimeRate: number | null;
  /** 整改反馈 given. */
  rectified: number;
  rectifiedOnTime: number;
  rectifyOnTimeRate: number | null;
  /** Working days from 交办 to 整改反馈. */
  avgWorkingDaysToRectify: number | null;
  /** 签收 or 整改反馈 late, or still open past a deadline now. */
  overdue: number;
  escalated: number;
  returned: number;
  extended: number;
}

/** How the period's leads were handled (the annual report's first figures). */
export interface Handling {
  /** Leads received (merged ones not counted again). */
  received: number;
  /** Leads with at least one 交办. */
  assigned: number;
  /** Closed with an approved rectification (整改到位). */
  rectified: number;
  closed: number;
  inProgress: number;
  triage: number;
  transferred: number;
  /** Transferred leads by where they went (discipline, judicial). */
  transferredTo: Record<string, number>;
  rejected: number;
  merged: number;
  /** Assignment figures, over all agencies. */
  acknowledged: number;
  acknowledgedOnTime: number;
  ackOnTimeRate: number | null;
  fedBack: number;
  rectifiedOnTime: number;
  rectifyOnTimeRate: number | null;
  overdue: number;
  escalated: number;
  returned: number;
  extended: number;
  /** Rates over the leads received (closed, transferred, rejected) or assigned (rectified). */
  closedRate: number | null;
  rectifiedRate: number | null;
  transferredRate: number | null;
  rejectedRate: number | null;
  avgWorkingDaysToRectify: number | null;
}

export interface Stats {
  period: { from: string; to: string };
  leads: number;
  reports: number;
  mergedReports: number;
  byChannel: Record<string, number>;
  byStatus: Record<string, number>;
  byProblemType: Record<string, number>;
  byDomain: Record<string, number>;
  transfersProposed: Record<string, number>;
  agencies: Record<string, AgencyScore>;
  closedOnTimeRate: number | null;
  followUps: { done: number; satisfied: number; satisfactionRate: number | null };
  routing: RoutingAccuracy;
  /** Leads by township (乡镇/街道); `未识别` when none was recognised. */
  byTownship: Record<string, number>;
  /** Distinct leads assigned to each agency. */
  byAgency: Record<string, number>;
  handling: Handling;
}

export interface RoutingAccuracy {
  window: { from: string; to: string };
  /** Leads whose proposed agency a person (or dispatch) has since assigned. */
  decided: number;
  agreed: number;
  accuracy: number | null;
  /** Per rule behind a proposal: how often the bureau kept it; worst first, so the bureau sees which rules to fix. */
  rules: { rule: string; proposals: number; kept: number; accuracy: number }[];
}

export const UNKNOWN_DOMAIN = '未分类';
export const UNKNOWN_TOWNSHIP = '未识别';

const add = (m: Record<string, number>, k: string, n = 1) => { m[k] = (m[k] ?? 0) + n; };
/** a / b to three decimals; null when nothing to divide by. */
export const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

export function routingAccuracy(
  leads: RoutingLeadRow[], assignments: RoutingAssignmentRow[], window: { from: string; to: string },
): RoutingAccuracy {
  const firstPrimary = new Map<string, RoutingAssignmentRow>();
  for (const a of [...assignments].sort((x, y) => x.assignedAt.localeCompare(y.assignedAt))) {
    if (a.role === 'primary' && !firstPrimary.has(a.leadId)) firstPrimary.set(a.leadId, a);
  }
  const perRule = new Map<string, { proposals: number; kept: number }>();
  let decided = 0;
  let agreed = 0;
  for (const l of leads) {
    const p = firstPrimary.get(l.id);
    if (!l.routingAgency || !p || p.assignedAt < window.from || p.assignedAt > window.to) continue;
    decided++;
    const kept = p.agency === l.routingAgency;
    if (kept) agreed++;
    for (const r of new Set(l.routingRules)) {
      const e = perRule.get(r) ?? { proposals: 0, kept: 0 };
      e.proposals++;
      if (kept) e.kept++;
      perRule.set(r, e);
    }
  }
  const rules = [...perRule].map(([rule, e]) => ({ rule, ...e, accuracy: ratio(e.kept, e.proposals) ?? 0 }))
    .sort((a, b) => a.accuracy - b.accuracy || b.proposals - a.proposals || a.rule.localeCompare(b.rule));
  return { window, decided, agreed, accuracy: ratio(agreed, decided), rules };
}

function emptyScore(): AgencyScore {
  return {
    assigned: 0, closed: 0, overdueOpen: 0, closedOnTime: 0, avgDaysToClose: null, leads: 0,
    acknowledged: 0, acknowledgedOnTime: 0, ackOnTimeRate: null, rectified: 0, rectifiedOnTime: 0, rectifyOnTimeRate: null,
    avgWorkingDaysToRectify: null, overdue: 0, escalated: 0, returned: 0, extended: 0,
  };
}

/** What one assignment contributes; `now` decides whether an open deadline has passed. */
function judge(a: StatsAssignmentRow, now: string) {
  const acknowledged = Boolean(a.acknowledgedAt);
  const ackLate = a.ackDueAt ? (a.acknowledgedAt ? a.acknowledgedAt > a.ackDueAt : a.status === 'assigned' && a.ackDueAt < now) : false;
  const open = a.status === 'assigned' || a.status === 'acknowledged';
  const rectified = Boolean(a.feedbackAt);
  const rectifyLate = a.dueAt ? (a.feedbackAt ? a.feedbackAt > a.dueAt : open && a.dueAt < now) : false;
  return {
    acknowledged, ackOnTime: acknowledged && !ackLate, rectified, rectifiedOnTime: rectified && !rectifyLate,
    overdueOpen: open && Boolean(a.dueAt && a.dueAt < now), overdue: ackLate || rectifyLate,
  };
}

/**
 * What a scope's assignments add up to for one agency: counts and sums only, so the store can
 * aggregate them in SQL (GROUP BY agency) and `tallyAssignments` can add them up from rows alike.
 */
export interface AgencyTally {
  assigned: number;
  /** Distinct leads. */
  leads: number;
  acknowledged: number;
  acknowledgedOnTime: number;
  rectified: number;
  rectifiedOnTime: number;
  overdue: number;
  escalated: number;
  returned: number;
  extended: number;
  closed: number;
  closedOnTime: number;
  /** Milliseconds from 交办 to 办结, summed over the closed ones. */
  closedMs: number;
  /** Open past the 整改 deadline now (and not closed). */
  overdueOpen: number;
  /** Working days from 交办 to 整改反馈, summed over `workDaysCount` assignments (0 without a calendar). */
  workDays: number;
  workDaysCount: number;
}

/** The assignment figures of a scope: per agency, and the distinct leads over all agencies. */
export interface AssignmentTally {
  agencies: Record<string, AgencyTally>;
  /** Leads with at least one (counted) assignment. */
  assignedLeads: number;
  /** Closed leads whose primary assignment was closed after feedback (整改到位). */
  rectifiedLeads: number;
}

export function emptyAgencyTally(): AgencyTally {
  return {
    assigned: 0, leads: 0, acknowledged: 0, acknowledgedOnTime: 0, rectified: 0, rectifiedOnTime: 0, overdue: 0, escalated: 0,
    returned: 0, extended: 0, closed: 0, closedOnTime: 0, closedMs: 0, overdueOpen: 0, workDays: 0, workDaysCount: 0,
  };
}

/**
 * The tally of assignment rows, worked out in JS: the reference the store's SQL aggregation is
 * tested against. Assignments of merged leads are left out (counted with the lead each joined).
 */
export function tallyAssignments(assignments: StatsAssignmentRow[], now: string, calendar?: WorkingCalendar, tz?: string): AssignmentTally {
  const agencies: Record<string, AgencyTally> = {};
  const agencyLeads: Record<string, Set<string>> = {};
  const assignedLeads = new Set<string>();
  const rectifiedLeads = new Set<string>();
  const toRectify: StatsAssignmentRow[] = [];
  for (const a of assignments) {
    if (a.leadStatus === 'merged') continue; // counted with the lead it joined, if that is in the period
    const e = (agencies[a.agency] ??= emptyAgencyTally());
    e.assigned++;
    (agencyLeads[a.agency] ??= new Set()).add(a.leadId);
    assignedLeads.add(a.leadId);
    const j = judge(a, now);
    if (j.acknowledged) e.acknowledged++;
    if (j.ackOnTime) e.acknowledgedOnTime++;
    if (j.rectified) e.rectified++;
    if (j.rectifiedOnTime) e.rectifiedOnTime++;
    if (j.overdue) e.overdue++;
    if (a.escalated) e.escalated++;
    if ((a.returnedCount ?? 0) > 0) e.returned++;
    if (a.extended) e.extended++;
    if (a.feedbackAt) toRectify.push(a);
    if (a.status === 'closed' && a.closedAt) {
      e.closed++;
      const done = a.feedbackAt ?? a.closedAt;
      if (!a.dueAt || done <= a.dueAt) e.closedOnTime++;
      e.closedMs += Date.parse(a.closedAt) - Date.parse(a.assignedAt);
      if (a.role === 'primary' && a.feedbackAt && a.leadStatus === 'closed') rectifiedLeads.add(a.leadId);
    } else if (j.overdueOpen) {
      e.overdueOpen++;
    }
  }
  if (calendar && tz) {
    const days = workingDaysOfPairs(toRectify.map((a) => [a.assignedAt, a.feedbackAt!]), calendar, tz);
    toRectify.forEach((a, i) => {
      const e = agencies[a.agency]!;
      e.workDays += days[i]!;
      e.workDaysCount++;
    });
  }
  for (const [agency, e] of Object.entries(agencies)) e.leads = agencyLeads[agency]!.size;
  return { agencies, assignedLeads: assignedLeads.size, rectifiedLeads: rectifiedLeads.size };
}

/** Follow-up visits (回访) with an answer, and the satisfied ones among them. */
export interface FollowUpTally { done: number; satisfied: number }

export function computeStats(input: {
  period: { from: string; to: string };
  groups: StatsLeadGroup[];
  assignments: StatsAssignmentRow[];
  followUps: { satisfied: boolean | null }[];
  now: string;
  /** Counts working days to rectify; without it that average is left out (null). */
  calendar?: WorkingCalendar;
  tz?: string;
  routingWindow: { from: string; to: string };
  routingLeads: RoutingLeadRow[];
  routingAssignments: RoutingAssignmentRow[];
}): Stats {
  const answered = input.followUps.filter((f) => f.satisfied !== null);
  return statsOf({
    period: input.period, groups: input.groups,
    tally: tallyAssignments(input.assignments, input.now, input.calendar, input.tz),
    followUps: { done: answered.length, satisfied: answered.filter((f) => f.satisfied).length },
    routing: routingAccuracy(input.routingLeads, input.routingAssignments, input.routingWindow),
  });
}

/** Mean of a sum over n, to one decimal; null when n is 0. */
const meanOf = (sum: number, n: number) => (n ? Math.round((sum / n) * 10) / 10 : null);

/** The statistics from the lead groups and the tallies (what the store reads in SQL). */
export function statsOf(input: {
  period: { from: string; to: string };
  groups: StatsLeadGroup[];
  tally: AssignmentTally;
  followUps: FollowUpTally;
  routing: RoutingAccuracy;
}): Stats {
  const { groups, tally } = input;
  const h: Handling = {
    received: 0, assigned: 0, rectified: 0, closed: 0, inProgress: 0, triage: 0, transferred: 0, transferredTo: {}, rejected: 0, merged: 0,
    acknowledged: 0, acknowledgedOnTime: 0, ackOnTimeRate: null, fedBack: 0, rectifiedOnTime: 0, rectifyOnTimeRate: null,
    overdue: 0, escalated: 0, returned: 0, extended: 0,
    closedRate: null, rectifiedRate: null, transferredRate: null, rejectedRate: null, avgWorkingDaysToRectify: null,
  };
  const s: Stats = {
    period: input.period, leads: 0, reports: 0, mergedReports: 0, byChannel: {}, byStatus: {}, byProblemType: {},
    byDomain: {}, transfersProposed: {}, agencies: {}, closedOnTimeRate: null,
    followUps: { done: 0, satisfied: 0, satisfactionRate: null },
    routing: input.routing,
    byTownship: {}, byAgency: {}, handling: h,
  };
  for (const g of groups) {
    add(s.byStatus, g.status, g.leads);
    if (g.status === 'merged') { s.mergedReports += g.reports; h.merged += g.leads; continue; }
    s.leads += g.leads;
    s.reports += g.reports;
    for (const c of new Set(g.channels)) add(s.byChannel, c, g.leads);
    for (const p of new Set(g.problemTypes)) add(s.byProblemType, p, g.leads);
    add(s.byDomain, g.domain ?? UNKNOWN_DOMAIN, g.leads);
    add(s.byTownship, g.township ?? UNKNOWN_TOWNSHIP, g.leads);
    if (g.routingTransfer) add(s.transfersProposed, g.routingTransfer, g.leads);
    if (g.status === 'closed') h.closed += g.leads;
    else if (g.status === 'transferred') {
      h.transferred += g.leads;
      add(h.transferredTo, g.routingTransfer ?? 'other', g.leads);
    }
    else if (g.status === 'rejected') h.rejected += g.leads;
    else if (g.status === 'triage') h.triage += g.leads;
    else h.inProgress += g.leads;
  }
  h.received = s.leads;

  let closed = 0;
  let onTime = 0;
  let workDays = 0;
  let workDaysCount = 0;
  for (const [agency, t] of Object.entries(tally.agencies)) {
    const e = emptyScore();
    s.agencies[agency] = e;
    e.assigned = t.assigned;
    e.leads = t.leads;
    e.acknowledged = t.acknowledged; h.acknowledged += t.acknowledged;
    e.acknowledgedOnTime = t.acknowledgedOnTime; h.acknowledgedOnTime += t.acknowledgedOnTime;
    e.rectified = t.rectified; h.fedBack += t.rectified;
    e.rectifiedOnTime = t.rectifiedOnTime; h.rectifiedOnTime += t.rectifiedOnTime;
    e.overdue = t.overdue; h.overdue += t.overdue;
    e.escalated = t.escalated; h.escalated += t.escalated;
    e.returned = t.returned; h.returned += t.returned;
    e.extended = t.extended; h.extended += t.extended;
    e.closed = t.closed; closed += t.closed;
    e.closedOnTime = t.closedOnTime; onTime += t.closedOnTime;
    e.overdueOpen = t.overdueOpen;
    e.avgDaysToClose = meanOf(t.closedMs / 86_400_000, t.closed);
    e.avgWorkingDaysToRectify = meanOf(t.workDays, t.workDaysCount);
    workDays += t.workDays;
    workDaysCount += t.workDaysCount;
    e.ackOnTimeRate = ratio(e.acknowledgedOnTime, e.acknowledged);
    e.rectifyOnTimeRate = ratio(e.rectifiedOnTime, e.rectified);
    s.byAgency[agency] = e.leads;
  }
  s.closedOnTimeRate = ratio(onTime, closed);
  h.assigned = tally.assignedLeads;
  h.rectified = tally.rectifiedLeads;
  h.ackOnTimeRate = ratio(h.acknowledgedOnTime, h.acknowledged);
  h.rectifyOnTimeRate = ratio(h.rectifiedOnTime, h.fedBack);
  h.closedRate = ratio(h.closed, h.received);
  h.rectifiedRate = ratio(h.rectified, h.assigned);
  h.transferredRate = ratio(h.transferred, h.received);
  h.rejectedRate = ratio(h.rejected, h.received);
  h.avgWorkingDaysToRectify = meanOf(workDays, workDaysCount);
  s.followUps = { ...input.followUps, satisfactionRate: ratio(input.followUps.satisfied, input.followUps.done) };
  return s;
}

/**
 * Working days between two instants' local dates (those d with a < d ≤ b, as workingDaysBetween
 * counts them), for many pairs at once: each local date gets its rank among working days, counted
 * in one walk over the days from the earliest to the latest, so the cost grows with the span of
 * dates and the number of pairs, not with their product.
 */
export function workingDaysOfPairs(pairs: [string, string][], calendar: WorkingCalendar, tz: string): number[] {
  // Every real time zone's offset is a multiple of 15 minutes: one local date per 15-minute slot.
  const dates = new Map<number, IsoDate>();
  const dateOf = (instant: string) => {
    const slot = Math.floor(Date.parse(instant) / 900_000);
    let d = dates.get(slot);
    if (d === undefined) dates.set(slot, (d = localDate(slot * 900_000, tz)));
    return d;
  };
  const local = pairs.map(([a, b]) => [dateOf(a), dateOf(b)] as const);
  const all = [...new Set(local.flat())].sort();
  const rank = new Map<IsoDate, number>();
  if (all.length) {
    let n = 0;
    const last = all[all.length - 1]!;
    for (let d = all[0]!; d <= last; d = addDays(d, 1)) {
      if (calendar.isWorkingDay(d)) n++;
      rank.set(d, n);
    }
  }
  return local.map(([a, b]) => rank.get(b)! - rank.get(a)!);
}

/**
 * The working-day rank of an instant as a step function, for the store to evaluate in SQL: from
 * `steps[i].at` (inclusive) to the next step, an instant's local date has rank `steps[i].rank`
 * (working days counted from `from`), up to `end`, the start of the day after `to`. The working
 * days between two instants in [steps[0].at, end) are the difference of their ranks, as
 * workingDaysOfPairs counts them (those d with a < d ≤ b).
 */
export function workingDayRankSteps(
  from: IsoDate, to: IsoDate, calendar: WorkingCalendar, tz: string,
): { steps: { at: string; rank: number }[]; end: string } {
  let rank = calendar.isWorkingDay(from) ? 1 : 0;
  const steps = [{ at: toIsoInstant(startOfLocalDay(from, tz)), rank }];
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    if (calendar.isWorkingDay(d)) steps.push({ at: toIsoInstant(startOfLocalDay(d, tz)), rank: ++rank });
  }
  return { steps, end: toIsoInstant(startOfLocalDay(addDays(to, 1), tz)) };
}

/** Entries of a count map, largest first (ties by key), for tables and charts. */
export function ranked(m: Record<string, number>): [string, number][] {
  return Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
