import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chineseWorkingCalendar } from './chineseDays.ts';
import { computeDeadline } from './deadline.ts';
import { dueStages, nextStageAt, stageSchedule, type TrackedDeadline } from './reminders.ts';
import { localDate, startOfLocalDay, toEpochMs, toIsoInstant } from './timeZone.ts';

const cal = chineseWorkingCalendar();
const tz = 'Asia/Shanghai';

function schedule(deadline: TrackedDeadline, assignedAt: string, count: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const s of stageSchedule(deadline, assignedAt, cal, tz)) {
    out.push([s.stage, toIsoInstant(s.at)]);
    if (out.length === count) break;
  }
  return out;
}

describe('reminder stages of working-day deadlines', () => {
  it('normal feedback assigned 2026-02-13: warning Tue 10 March, overdue Fri 13 March, escalation every 3 working days', () => {
    const due: TrackedDeadline = { kind: 'feedback', dueAt: '2026-03-12T15:59:59.000Z', basis: 'workingDays' };
    expect(schedule(due, '2026-02-13T10:00:00+08:00', 4)).toEqual([
      ['warning', '2026-03-09T16:00:00.000Z'], // Tue 10 March, 00:00 +08:00
      ['overdue', '2026-03-12T16:00:00.000Z'], // Fri 13 March
      ['escalation-1', '2026-03-17T16:00:00.000Z'], // 16, 17, 18 March
      ['escalation-2', '2026-03-22T16:00:00.000Z'], // 19, 20, 23 March
    ]);
  });

  it('a 1-working-day acknowledgement gets no warning; overdue waits for the end of Spring Festival', () => {
    const ack: TrackedDeadline = { kind: 'acknowledge', dueAt: '2026-02-14T15:59:59.000Z', basis: 'workingDays' };
    expect(schedule(ack, '2026-02-13T10:00:00+08:00', 2)).toEqual([
      ['overdue', '2026-02-23T16:00:00.000Z'], // Tue 24 Feb, 00:00 +08:00
      ['escalation-1', '2026-02-26T16:00:00.000Z'], // 25, 26, 27 Feb
    ]);
  });

  it('across National Day 2026: urgent feedback due Fri 9 Oct', () => {
    const assignedAt = '2026-09-29T10:00:00+08:00';
    const d = computeDeadline({ workingDays: 3 }, assignedAt, cal, tz);
    expect(d.dueAt).toBe('2026-10-09T15:59:59.000Z'); // 30 Sep, 8 Oct, 9 Oct
    const due: TrackedDeadline = { kind: 'feedback', dueAt: d.dueAt, basis: d.basis };
    expect(schedule(due, assignedAt, 4)).toEqual([
      ['warning', '2026-09-29T16:00:00.000Z'], // Wed 30 Sep, 2 working days before 9 Oct
      ['overdue', '2026-10-09T16:00:00.000Z'], // Sat 10 Oct, a make-up working day
      ['escalation-1', '2026-10-13T16:00:00.000Z'], // 12, 13, 14 Oct
      ['escalation-2', '2026-10-18T16:00:00.000Z'], // 15, 16, 19 Oct
    ]);

    // Nothing is due at assignment; the sweep comes back on 30 Sep.
    expect(dueStages(due, assignedAt, assignedAt, cal, tz)).toEqual([]);
    expect(nextStageAt(due, assignedAt, assignedAt, cal, tz)).toBe('2026-09-29T16:00:00.000Z');
    // During the holiday only the warning is due, and the next stage is after it.
    expect(dueStages(due, assignedAt, '2026-10-03T12:00:00+08:00', cal, tz)).toEqual([
      { kind: 'feedback', stage: 'warning', key: 'feedback:warning', dueAt: '2026-09-29T16:00:00.000Z', superseded: false },
    ]);
    expect(nextStageAt(due, assignedAt, '2026-10-03T12:00:00+08:00', cal, tz)).toBe('2026-10-09T16:00:00.000Z');
    // The deadline day itself (until 23:59:59) is not overdue.
    expect(dueStages(due, assignedAt, '2026-10-09T23:59:59+08:00', cal, tz).map((s) => s.stage)).toEqual(['warning']);
  });

  it('across National Day 2026: normal acknowledgement assigned on 30 Sep', () => {
    const assignedAt = '2026-09-30T10:00:00+08:00';
    const due: TrackedDeadline = { kind: 'acknowledge', dueAt: '2026-10-08T15:59:59.000Z', basis: 'workingDays' };
    expect(schedule(due, assignedAt, 2)).toEqual([
      ['overdue', '2026-10-08T16:00:00.000Z'], // Fri 9 Oct
      ['escalation-1', '2026-10-12T16:00:00.000Z'], // 10 (Sat, worked), 12, 13 Oct
    ]);
  });

  it('catching up returns every due stage once, oldest first, earlier ones superseded', () => {
    const assignedAt = '2026-09-29T10:00:00+08:00';
    const due: TrackedDeadline = { kind: 'feedback', dueAt: '2026-10-09T15:59:59.000Z', basis: 'workingDays' };
    const now = '2026-10-14T00:00:00+08:00'; // exactly escalation-1
    expect(dueStages(due, assignedAt, now, cal, tz)).toEqual([
      { kind: 'feedback', stage: 'warning', key: 'feedback:warning', dueAt: '2026-09-29T16:00:00.000Z', superseded: true },
      { kind: 'feedback', stage: 'overdue', key: 'feedback:overdue', dueAt: '2026-10-09T16:00:00.000Z', superseded: true },
      { kind: 'feedback', stage: 'escalation-1', key: 'feedback:escalation-1', dueAt: '2026-10-13T16:00:00.000Z', superseded: false },
    ]);
    expect(nextStageAt(due, assignedAt, now, cal, tz)).toBe('2026-10-18T16:00:00.000Z');
  });
});

describe('reminder stages of hours deadlines', () => {
  it('urgent acknowledgement: warning 30 minutes before, overdue at the deadline', () => {
    const assignedAt = '2026-02-13T10:00:00+08:00';
    const ack: TrackedDeadline = { kind: 'acknowledge', dueAt: '2026-02-13T04:00:00.000Z', basis: 'hours' };
    expect(schedule(ack, assignedAt, 3)).toEqual([
      ['warning', '2026-02-13T03:30:00.000Z'],
      ['overdue', '2026-02-13T04:00:00.000Z'],
      ['escalation-1', '2026-02-24T16:00:00.000Z'], // 14, 24, 25 Feb
    ]);
    expect(dueStages(ack, assignedAt, '2026-02-13T12:00:00+08:00', cal, tz).map((s) => s.key))
      .toEqual(['acknowledge:warning', 'acknowledge:overdue']);
  });

  it('no warning when the deadline is 30 minutes or less after assignment', () => {
    const ack: TrackedDeadline = { kind: 'acknowledge', dueAt: '2026-02-13T02:20:00.000Z', basis: 'hours' };
    expect(schedule(ack, '2026-02-13T10:00:00+08:00', 1)).toEqual([['overdue', '2026-02-13T02:20:00.000Z']]);
  });
});

describe('reminder stage properties', () => {
  const calDay = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 11, 31) });
  const spec = fc.oneof(
    fc.integer({ min: 1, max: 20 }).map((workingDays) => ({ workingDays })),
    fc.integer({ min: 1, max: 72 }).map((hours) => ({ hours })),
  );

  it('stages are in time order, after assignment, overdue after the deadline, at local midnight of working days', () => {
    fc.assert(fc.property(calDay, spec, fc.integer({ min: 0, max: 60 * 86_400_000 }), (assigned, s, offset) => {
      const d = computeDeadline(s, assigned, cal, tz);
      const deadline: TrackedDeadline = { kind: 'feedback', dueAt: d.dueAt, basis: d.basis };
      const stages = [...take(stageSchedule(deadline, assigned, cal, tz), 5)];
      for (let i = 1; i < stages.length; i++) expect(stages[i]!.at).toBeGreaterThan(stages[i - 1]!.at);
      expect(stages[0]!.at).toBeGreaterThan(assigned);
      const overdue = stages.find((x) => x.stage === 'overdue')!;
      expect(overdue.at).toBeGreaterThanOrEqual(toEpochMs(d.dueAt));
      for (const x of stages) {
        if (x.stage.startsWith('escalation') || d.basis === 'workingDays') {
          const day = localDate(x.at, tz);
          expect(x.at).toBe(startOfLocalDay(day, tz));
          expect(cal.isWorkingDay(day)).toBe(true);
        }
      }
      const now = assigned + offset;
      const due = dueStages(deadline, assigned, now, cal, tz);
      const next = toEpochMs(nextStageAt(deadline, assigned, now, cal, tz));
      expect(next).toBeGreaterThan(now);
      for (const x of due) expect(toEpochMs(x.dueAt)).toBeLessThanOrEqual(now);
      expect(due.filter((x) => !x.superseded).length).toBe(due.length > 0 ? 1 : 0);
      expect([...take(stageSchedule(deadline, assigned, cal, tz), due.length + 1)].at(-1)!.at).toBe(next);
    }));
  });
});

function* take<T>(it: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const x of it) {
    yield x;
    if (++i >= n) return;
  }
}
