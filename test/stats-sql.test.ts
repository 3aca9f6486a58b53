// The statistics the store adds up in SQL (src/db/stores/stats.ts) against the JS computation they
// replaced: the assignment rows of the scope read as the store used to read them, then
// computeStats. A random data set on each database, rich in what the figures judge: missing and
// empty values, instants equal to their deadlines, several assignments per lead over agencies,
// merged leads, feedback long after the period (outside the working-day steps, counted apart) and
// instants not in the stored ISO form; in three time zones, one with daylight saving time.
import { SqliteAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { DB } from '../src/db/schema/index.ts';
import { campaignStats, periodStats, type LeadScope } from '../src/db/stores/stats.ts';
import { chineseWorkingCalendar } from '../src/domain/calendar/index.ts';
import { computeStats, type StatsAssignmentRow, type StatsLeadGroup } from '../src/domain/stats.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';

const SEED = Number(process.env.STATS_SQL_SEED ?? 20261203);
const NOW = '2026-09-15T04:00:00.000Z';
const PERIOD = { from: '2025-12-31T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' };
const CAMPAIGN = 'cp_random';

/** A small seeded generator (mulberry32), so a failure can be replayed with STATS_SQL_SEED. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function fill(db: Kysely<DB>, seed: number): Promise<void> {
  const r = random(seed);
  const agencies = ['urban', 'market', 'transport', 'ecology'];
  const statuses = ['triage', 'assigned', 'rectifying', 'feedback', 'closed', 'closed', 'closed', 'rejected', 'transferred', 'merged'];
  const start = Date.parse('2025-11-01T00:00:00.000Z');
  const leads: any[] = [];
  const assignments: any[] = [];
  const reminders: any[] = [];
  const followUps: any[] = [];
  const tagged: any[] = [];
  for (let i = 0; i < 300; i++) {
    const id = `XS-R-${String(i).padStart(4, '0')}`;
    const created = start + r.int(440) * DAY + r.int(DAY);
    const status = r.pick(statuses);
    leads.push({
      id, status, merged_into: status === 'merged' ? 'XS-R-0000' : null, title: `线索 ${i}`, content: '随机内容', priority: 'normal',
      township: r.pick(['梅湾街道', '凤凰街道', null]), routing_agency: r.pick([...agencies, null]),
      routing_transfer: r.pick([null, null, 'judicial', 'discipline']),
      problem_types: r.pick(['[]', '["不作为"]', '["乱作为","不作为"]', '["不作为","不作为"]']), domain: r.pick(['城市管理', '市场监管', null]),
      channels: r.pick(['["hotline"]', '["hotline","media"]', '["media","hotline","media"]']), report_count: 1 + r.int(3),
      lifecycle: '{}', created_at: iso(created), updated_at: iso(created),
    });
    if (r.chance(0.3)) tagged.push({ campaign_id: CAMPAIGN, lead_id: id, via: 'rule', tagged_at: iso(created) });
    if (r.chance(0.1)) followUps.push({ id: `fu_${id}_0`, lead_id: id, report_id: `RP-${id}`, round: 1, status: 'done', satisfied: null, created_at: iso(created), done_at: null });
    if (r.chance(0.4)) followUps.push({ id: `fu_${id}_1`, lead_id: id, report_id: `RP-${id}`, round: 2, status: 'done', satisfied: r.int(2), created_at: iso(created), done_at: iso(created) });
    const count = r.pick([0, 1, 1, 1, 2, 3]);
    for (let k = 0; k < count; k++) {
      const assigned = created + r.int(5 * DAY);
      const ackDue = r.chance(0.1) ? r.pick([null, '']) : iso(assigned + r.int(3 * DAY));
      const due = r.chance(0.1) ? r.pick([null, '']) : iso(assigned + r.int(30 * DAY));
      const aStatus = r.pick(['assigned', 'acknowledged', 'feedback', 'closed', 'closed', 'returned', 'transferred']);
      // an instant on a deadline, around it, far after the period, or in another ISO form
      const around = (deadline: string | null, base: number) => {
        const roll = r.next();
        if (deadline && roll < 0.15) return deadline;
        if (roll < 0.2) return iso(base + 900 * DAY + r.int(DAY));
        if (roll < 0.23) return iso(base + r.int(20 * DAY)).replace('.000Z', 'Z').replace(/\.\d{3}Z$/, 'Z');
        return iso(base + r.int(40 * DAY));
      };
      const acknowledged = aStatus === 'assigned' || r.chance(0.1) ? r.pick([null, null, '']) : around(ackDue, assigned);
      const feedbackAt = ['feedback', 'closed', 'returned'].includes(aStatus) && r.chance(0.85) ? around(due, assigned) : r.chance(0.05) ? '' : null;
      const closedAt = aStatus === 'closed' ? r.pick([iso(assigned + r.int(50 * DAY)), iso(assigned + r.int(50 * DAY)), null, '']) : null;
      const detail = {
        ...(feedbackAt !== null ? { feedback: { summary: '已整改', at: feedbackAt } } : {}),
        ...(r.chance(0.3) ? { returned: { comment: '退回', count: r.int(3) } } : {}),
        ...(r.chance(0.3) ? { extension: { status: r.pick(['approved', 'pending', 'rejected']) } } : {}),
      };
      const aid = `as_${id}_${k}`;
      assignments.push({
        id: aid, lead_id: id, agency: r.pick(agencies), role: k === 0 || r.chance(0.3) ? 'primary' : 'assist', status: aStatus,
        assigned_at: iso(assigned), ack_due_at: ackDue, due_at: due, acknowledged_at: acknowledged, closed_at: closedAt,
        detail: JSON.stringify(detail), calendar_provisional: 0, deadline_version: 1, updated_at: iso(assigned),
      });
      for (const stage of ['escalation-1', 'escalation-2', 'overdue', 'reminder-1']) {
        if (r.chance(0.15)) reminders.push({ assignment_id: aid, key: `v1:${stage}`, lead_id: id, stage, due_at: iso(assigned), created_at: iso(assigned), sent: 1 });
      }
    }
  }
  await db.insertInto('leads').values(leads).execute();
  await db.insertInto('assignments').values(assignments).execute();
  if (reminders.length) await db.insertInto('reminders').values(reminders).execute();
  if (followUps.length) await db.insertInto('follow_ups').values(followUps).execute();
  await db.insertInto('campaign_leads').values(tagged).execute();
}

// ---- the reference: the rows the store used to read, and computeStats over them ----

function inScope(s: LeadScope) {
  return 'campaign' in s
    ? sql<SqlBool>`leads.id in (select lead_id from campaign_leads where campaign_id = ${s.campaign})`
    : sql<SqlBool>`leads.created_at >= ${s.from} and leads.created_at < ${s.to}`;
}

async function referenceStats(db: Kysely<DB>, scope: LeadScope, period: { from: string; to: string }, tz: string) {
  const groups = (await db.selectFrom('leads').select([
    'status', 'channels', 'problem_types', 'domain', 'township', 'routing_transfer',
    sql<number>`count(*)`.as('n'), sql<number>`sum(report_count)`.as('reports'),
  ]).where(inScope(scope)).groupBy(['status', 'channels', 'problem_types', 'domain', 'township', 'routing_transfer']).execute())
    .map((g): StatsLeadGroup => ({
      status: g.status, channels: JSON.parse(g.channels), problemTypes: JSON.parse(g.problem_types), domain: g.domain, township: g.township,
      routingTransfer: g.routing_transfer, leads: Number(g.n), reports: Number(g.reports),
    }));
  const facts: RawBuilder<unknown>[] = db.getExecutor().adapter instanceof SqliteAdapter
    ? [sql<string | null>`json_extract(assignments.detail, '$.feedback.at')`, sql<number | null>`json_extract(assignments.detail, '$.returned.count')`,
      sql<string | null>`json_extract(assignments.detail, '$.extension.status')`]
    : [sql<string | null>`(assignments.detail::jsonb #>> '{feedback,at}')`, sql<number | null>`(assignments.detail::jsonb #>> '{returned,count}')::int`,
      sql<string | null>`(assignments.detail::jsonb #>> '{extension,status}')`];
  const rows = await db.selectFrom('leads').innerJoin('assignments', 'assignments.lead_id', 'leads.id').where(inScope(scope))
    .select((eb) => [
      'assignments.lead_id', 'leads.status as lead_status', 'assignments.agency', 'assignments.role', 'assignments.status',
      'assignments.assigned_at', 'assignments.ack_due_at', 'assignments.acknowledged_at', 'assignments.due_at', 'assignments.closed_at',
      facts[0]!.as('feedback_at'), facts[1]!.as('returned_count'), facts[2]!.as('extension_status'),
      eb.exists(eb.selectFrom('reminders').select(sql`1`.as('one')).whereRef('reminders.assignment_id', '=', 'assignments.id')
        .where('reminders.stage', 'like', 'escalation-%')).as('escalated'),
    ]).execute();
  const assignments = rows.map((r): StatsAssignmentRow => ({
    leadId: r.lead_id, leadStatus: r.lead_status, agency: r.agency, role: r.role, status: r.status, assignedAt: r.assigned_at,
    ackDueAt: r.ack_due_at, acknowledgedAt: r.acknowledged_at, dueAt: r.due_at, feedbackAt: r.feedback_at as string | null, closedAt: r.closed_at,
    returnedCount: Number(r.returned_count ?? 0), extended: r.extension_status === 'approved', escalated: Boolean(r.escalated),
  }));
  const followUps = await db.selectFrom('leads').innerJoin('follow_ups', 'follow_ups.lead_id', 'leads.id').select('follow_ups.satisfied')
    .where(inScope(scope)).execute();
  return computeStats({
    period, groups, assignments, followUps: followUps.map((f) => ({ satisfied: f.satisfied === null ? null : Boolean(f.satisfied) })),
    now: NOW, calendar: chineseWorkingCalendar(), tz,
    // routing accuracy is read as before (its own query): compared separately, so left empty here
    routingWindow: { from: NOW, to: NOW }, routingLeads: [], routingAssignments: [],
  });
}

describe.each(await dialects())('statistics added up in SQL equal the JS computation on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await migrateToLatest(database.db, database.pgSchema);
    await fill(database.db, SEED);
  }, 120_000);
  afterAll(async () => { await database.drop(); });

  it.each(['Asia/Shanghai', 'America/New_York', 'Asia/Kathmandu'])('for a period and for a campaign, in %s', async (tz) => {
    const calendar = { calendar: chineseWorkingCalendar(), tz };
    const expected = await referenceStats(database.db, PERIOD, PERIOD, tz);
    const got = await periodStats(database.db, PERIOD, NOW, calendar);
    // the data set reaches every branch the figures judge (else the comparison proves little)
    const h = got.handling;
    expect(Math.min(h.acknowledged - h.acknowledgedOnTime, h.fedBack - h.rectifiedOnTime, h.overdue, h.escalated, h.returned, h.extended, h.merged, h.rectified)).toBeGreaterThan(0);
    expect(h.avgWorkingDaysToRectify).not.toBeNull();
    expect({ ...got, routing: null }).toEqual({ ...expected, routing: null });

    const campaign = await campaignStats(database.db, CAMPAIGN, PERIOD, NOW, calendar);
    expect(campaign.leads).toBeGreaterThan(0);
    expect(campaign).toEqual(await referenceStats(database.db, { campaign: CAMPAIGN }, PERIOD, tz));
  }, 60_000);

  it('counts the same without a calendar (no working days)', async () => {
    const got = await periodStats(database.db, PERIOD, NOW);
    expect(got.handling.avgWorkingDaysToRectify).toBeNull();
    expect(Object.values(got.agencies).every((a) => a.avgWorkingDaysToRectify === null)).toBe(true);
    const withCalendar = await periodStats(database.db, PERIOD, NOW, { calendar: chineseWorkingCalendar(), tz: 'Asia/Shanghai' });
    const strip = (s: typeof got) => ({
      ...s, handling: { ...s.handling, avgWorkingDaysToRectify: null },
      agencies: Object.fromEntries(Object.entries(s.agencies).map(([k, v]) => [k, { ...v, avgWorkingDaysToRectify: null }])),
    });
    expect(strip(got)).toEqual(strip(withCalendar));
  });
});
