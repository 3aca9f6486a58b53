// Reads what the statistics need for a period, and the routing proposals of the last 90 days.
import type { Kysely } from 'kysely';
import { computeStats, type Stats, type StatsAssignmentRow, type StatsLeadRow } from '../../domain/stats.ts';
import type { DB } from '../schema/index.ts';

const ROUTING_WINDOW_DAYS = 90;

async function leadRows(db: Kysely<DB>, from: string, to: string): Promise<StatsLeadRow[]> {
  const rows = await db.selectFrom('leads').select([
    'id', 'status', 'channels', 'report_count', 'routing_agency', 'routing_transfer', 'routing_detail', 'problem_types', 'domain', 'created_at',
  ]).where('created_at', '>=', from).where('created_at', '<', to).execute();
  return rows.map((r) => {
    const detail = JSON.parse(r.routing_detail ?? 'null') as { candidates?: { agency: string; rules: string[] }[] } | null;
    return {
      id: r.id, status: r.status, channels: JSON.parse(r.channels), reportCount: Number(r.report_count),
      routingAgency: r.routing_agency, routingTransfer: r.routing_transfer,
      routingRules: detail?.candidates?.find((c) => c.agency === r.routing_agency)?.rules ?? [],
      problemTypes: JSON.parse(r.problem_types), domain: r.domain, createdAt: r.created_at,
    };
  });
}

async function assignmentRows(db: Kysely<DB>, leadIds: string[]): Promise<StatsAssignmentRow[]> {
  const out: StatsAssignmentRow[] = [];
  for (let i = 0; i < leadIds.length; i += 500) {
    const rows = await db.selectFrom('assignments').selectAll().where('lead_id', 'in', leadIds.slice(i, i + 500)).execute();
    for (const r of rows) {
      const detail = JSON.parse(r.detail ?? '{}') as { feedback?: { at: string } };
      out.push({
        leadId: r.lead_id, agency: r.agency, role: r.role, status: r.status, assignedAt: r.assigned_at,
        dueAt: r.due_at, feedbackAt: detail.feedback?.at ?? null, closedAt: r.closed_at,
      });
    }
  }
  return out;
}

export async function periodStats(db: Kysely<DB>, period: { from: string; to: string }, now: string): Promise<Stats> {
  const leads = await leadRows(db, period.from, period.to);
  const assignments = await assignmentRows(db, leads.map((l) => l.id));
  const followUps = await db.selectFrom('follow_ups').innerJoin('leads', 'leads.id', 'follow_ups.lead_id')
    .select('follow_ups.satisfied').where('leads.created_at', '>=', period.from).where('leads.created_at', '<', period.to).execute();
  const windowFrom = new Date(Date.parse(now) - ROUTING_WINDOW_DAYS * 86_400_000).toISOString();
  // Proposals decided in the window may belong to leads created somewhat earlier.
  const justAfterNow = new Date(Date.parse(now) + 1).toISOString();
  const routingLeads = await leadRows(db, new Date(Date.parse(windowFrom) - 365 * 86_400_000).toISOString(), justAfterNow);
  const routingAssignments = await assignmentRows(db, routingLeads.filter((l) => l.routingAgency).map((l) => l.id));
  return computeStats({
    period, leads, assignments, now,
    followUps: followUps.map((f) => ({ satisfied: f.satisfied === null ? null : Boolean(f.satisfied) })),
    routingWindow: { from: windowFrom, to: now }, routingLeads, routingAssignments,
  });
}
