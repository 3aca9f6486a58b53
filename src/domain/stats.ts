// The statistics the bureau publishes (API.md §1 `stats`, the annual report), computed from plain rows.
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

export interface StatsAssignmentRow {
  leadId: string;
  agency: string;
  role: string;
  status: string;
  assignedAt: string;
  dueAt: string | null;
  /** When feedback was given (the assignment left 'acknowledged'), if known. */
  feedbackAt: string | null;
  closedAt: string | null;
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
  agencies: Record<string, { assigned: number; closed: number; overdueOpen: number; closedOnTime: number; avgDaysToClose: number | null }>;
  closedOnTimeRate: number | null;
  followUps: { done: number; satisfied: number; satisfactionRate: number | null };
  routing: RoutingAccuracy;
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

const count = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

export function routingAccuracy(
  leads: StatsLeadRow[], assignments: StatsAssignmentRow[], window: { from: string; to: string },
): RoutingAccuracy {
  const firstPrimary = new Map<string, StatsAssignmentRow>();
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

export function computeStats(input: {
  period: { from: string; to: string };
  leads: StatsLeadRow[];
  assignments: StatsAssignmentRow[];
  followUps: { satisfied: boolean | null }[];
  now: string;
  routingWindow: { from: string; to: string };
  routingLeads: StatsLeadRow[];
  routingAssignments: StatsAssignmentRow[];
}): Stats {
  const { leads, assignments, now } = input;
  const s: Stats = {
    period: input.period, leads: 0, reports: 0, mergedReports: 0, byChannel: {}, byStatus: {}, byProblemType: {},
    byDomain: {}, transfersProposed: {}, agencies: {}, closedOnTimeRate: null,
    followUps: { done: 0, satisfied: 0, satisfactionRate: null },
    routing: routingAccuracy(input.routingLeads, input.routingAssignments, input.routingWindow),
  };
  for (const l of leads) {
    count(s.byStatus, l.status);
    if (l.status === 'merged') { s.mergedReports += l.reportCount; continue; }
    s.leads++;
    s.reports += l.reportCount;
    for (const c of l.channels) count(s.byChannel, c);
    for (const p of l.problemTypes) count(s.byProblemType, p);
    count(s.byDomain, l.domain ?? '未分类');
    if (l.routingTransfer) count(s.transfersProposed, l.routingTransfer);
  }
  let closed = 0;
  let onTime = 0;
  const days: Record<string, number[]> = {};
  for (const a of assignments) {
    const e = (s.agencies[a.agency] ??= { assigned: 0, closed: 0, overdueOpen: 0, closedOnTime: 0, avgDaysToClose: null });
    e.assigned++;
    if (a.status === 'closed' && a.closedAt) {
      e.closed++;
      closed++;
      const done = a.feedbackAt ?? a.closedAt;
      if (!a.dueAt || done <= a.dueAt) { e.closedOnTime++; onTime++; }
      (days[a.agency] ??= []).push((Date.parse(a.closedAt) - Date.parse(a.assignedAt)) / 86_400_000);
    } else if (a.dueAt && a.dueAt < now && (a.status === 'assigned' || a.status === 'acknowledged')) {
      e.overdueOpen++;
    }
  }
  for (const [agency, list] of Object.entries(days)) {
    s.agencies[agency]!.avgDaysToClose = Math.round((list.reduce((x, y) => x + y, 0) / list.length) * 10) / 10;
  }
  s.closedOnTimeRate = ratio(onTime, closed);
  for (const f of input.followUps) {
    if (f.satisfied === null) continue;
    s.followUps.done++;
    if (f.satisfied) s.followUps.satisfied++;
  }
  s.followUps.satisfactionRate = ratio(s.followUps.satisfied, s.followUps.done);
  return s;
}
