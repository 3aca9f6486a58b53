import { describe, expect, it } from 'vitest';
import { chineseWorkingCalendar } from './calendar/index.ts';
import { computeStats, workingDaysOfPairs, type StatsAssignmentRow, type StatsLeadGroup } from './stats.ts';

const base = {
  period: { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
  routingWindow: { from: '2026-01-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' }, routingLeads: [], routingAssignments: [],
  followUps: [], now: '2026-06-01T00:00:00.000Z',
};
const group = (g: Partial<StatsLeadGroup>): StatsLeadGroup => ({
  status: 'triage', channels: ['hotline'], problemTypes: [], domain: null, township: null, routingTransfer: null, leads: 1, reports: 1, ...g,
});
const assignment = (a: Partial<StatsAssignmentRow>): StatsAssignmentRow => ({
  leadId: 'L1', leadStatus: 'rectifying', agency: 'urban', role: 'primary', status: 'acknowledged',
  assignedAt: '2026-03-02T03:00:00.000Z', ackDueAt: '2026-03-03T15:59:59.000Z', acknowledgedAt: '2026-03-03T01:00:00.000Z',
  dueAt: '2026-03-23T15:59:59.000Z', feedbackAt: null, closedAt: null, ...a,
});

describe('computeStats', () => {
  it('gives null rates and empty maps for an empty period', () => {
    const s = computeStats({ ...base, groups: [], assignments: [] });
    expect(s.leads).toBe(0);
    expect(s.handling).toMatchObject({ received: 0, closedRate: null, ackOnTimeRate: null, avgWorkingDaysToRectify: null });
    expect(s.byTownship).toEqual({});
    expect(s.followUps.satisfactionRate).toBeNull();
  });

  it('counts a group by each distinct channel and problem type once, merged groups apart', () => {
    const s = computeStats({ ...base, assignments: [], groups: [
      group({ channels: ['hotline', 'media', 'hotline'], problemTypes: ['不作为', '不作为'], leads: 3, reports: 7, township: '梅湾街道', domain: '城市管理' }),
      group({ status: 'merged', leads: 2, reports: 2 }),
      group({ status: 'transferred', routingTransfer: 'discipline', leads: 1 }),
    ] });
    expect(s).toMatchObject({ leads: 4, reports: 8, mergedReports: 2, byChannel: { hotline: 4, media: 3 }, byProblemType: { 不作为: 3 } });
    expect(s.byTownship).toEqual({ 梅湾街道: 3, 未识别: 1 });
    expect(s.byDomain).toEqual({ 城市管理: 3, 未分类: 1 });
    expect(s.handling).toMatchObject({ received: 4, triage: 3, transferred: 1, transferredTo: { discipline: 1 }, merged: 2, transferredRate: 0.25 });
  });

  it('judges 签收 and 整改 against the deadlines in force, and open assignments against now', () => {
    const s = computeStats({ ...base, groups: [], calendar: chineseWorkingCalendar(), tz: 'Asia/Shanghai', assignments: [
      // on time both ways, 6 working days (03-03 … 03-10)
      assignment({ leadId: 'A', status: 'closed', leadStatus: 'closed', feedbackAt: '2026-03-10T01:00:00.000Z', closedAt: '2026-03-11T01:00:00.000Z' }),
      // 签收 late, feedback late
      assignment({ leadId: 'B', agency: 'market', acknowledgedAt: '2026-03-05T01:00:00.000Z', status: 'feedback', feedbackAt: '2026-03-25T01:00:00.000Z' }),
      // never acknowledged, past both deadlines now: overdue once, open past due
      assignment({ leadId: 'C', agency: 'market', status: 'assigned', acknowledgedAt: null, escalated: true }),
      // assigned just now: nothing due yet
      assignment({ leadId: 'D', status: 'assigned', acknowledgedAt: null, assignedAt: '2026-05-31T03:00:00.000Z', ackDueAt: '2026-06-01T15:59:59.000Z', dueAt: '2026-06-19T15:59:59.000Z' }),
      // a merged lead's assignment is not counted
      assignment({ leadId: 'E', leadStatus: 'merged' }),
    ] });
    expect(s.handling).toMatchObject({
      assigned: 4, rectified: 1, acknowledged: 2, acknowledgedOnTime: 1, ackOnTimeRate: 0.5, fedBack: 2, rectifiedOnTime: 1,
      rectifyOnTimeRate: 0.5, overdue: 2, escalated: 1,
    });
    expect(s.agencies.urban).toMatchObject({ assigned: 2, leads: 2, overdue: 0, avgWorkingDaysToRectify: 6, closed: 1, closedOnTime: 1 });
    expect(s.agencies.market).toMatchObject({ assigned: 2, overdue: 2, overdueOpen: 1, escalated: 1, ackOnTimeRate: 0, rectifyOnTimeRate: 0 });
    expect(s.byAgency).toEqual({ urban: 2, market: 2 });
  });

  it('leaves working days out without a calendar', () => {
    const s = computeStats({ ...base, groups: [], assignments: [assignment({ feedbackAt: '2026-03-10T01:00:00.000Z', status: 'feedback' })] });
    expect(s.handling.avgWorkingDaysToRectify).toBeNull();
  });
});

describe('workingDaysOfPairs', () => {
  it('agrees with the calendar counting each pair on its own', async () => {
    const fc = (await import('fast-check')).default;
    const { localDate } = await import('./calendar/index.ts');
    const calendar = chineseWorkingCalendar();
    const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms).toISOString());
    fc.assert(fc.property(fc.array(fc.tuple(instant, fc.integer({ min: 0, max: 90 * 86_400_000 })), { maxLength: 30 }), (raw) => {
      const pairs = raw.map(([a, gap]) => [a, new Date(Date.parse(a) + gap).toISOString()] as [string, string]);
      const expected = pairs.map(([a, b]) => calendar.workingDaysBetween(localDate(a, 'Asia/Shanghai'), localDate(b, 'Asia/Shanghai')));
      expect(workingDaysOfPairs(pairs, calendar, 'Asia/Shanghai')).toEqual(expected);
    }), { numRuns: 200 });
  });
});

describe('workingDayRankSteps', () => {
  it('gives, as a difference of ranks, the working days workingDaysOfPairs counts, in zones with and without daylight saving', async () => {
    const fc = (await import('fast-check')).default;
    const { workingDayRankSteps } = await import('./stats.ts');
    const calendar = chineseWorkingCalendar();
    const rankAt = (steps: { at: string; rank: number }[], x: string) => {
      let rank = steps[0]!.rank;
      for (const s of steps) if (s.at <= x) rank = s.rank;
      return rank;
    };
    for (const tz of ['Asia/Shanghai', 'America/New_York', 'Asia/Kathmandu']) {
      const { steps, end } = workingDayRankSteps('2025-12-01', '2026-12-31', calendar, tz);
      const instant = fc.integer({ min: Date.parse(steps[0]!.at), max: Date.parse(end) - 1 }).map((ms) => new Date(ms).toISOString());
      fc.assert(fc.property(fc.array(fc.tuple(instant, instant), { maxLength: 20 }), (raw) => {
        const pairs = raw.map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [string, string]);
        expect(pairs.map(([a, b]) => rankAt(steps, b) - rankAt(steps, a))).toEqual(workingDaysOfPairs(pairs, calendar, tz));
      }), { numRuns: 100 });
    }
  });
});
