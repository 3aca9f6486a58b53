// The working-day calendar through the API (GET/PUT /api/calendar/{year}): the published 2026
// arrangement as chinese-days carries it, 2027 not yet covered, a deadline reaching into 2027
// counted provisionally and recomputed when the bureau enters the 2027 table; bad tables and
// agencies refused without changing anything; a local rest day in a covered year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { ADMIN_TOKEN, testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const local = (s: string) => new Date(`${s}+08:00`).toISOString();

/** A plausible 2027 arrangement (the real one is published late in 2026). */
const TABLE_2027 = {
  published: true,
  note: '国办发明电〔2026〕… 2027年部分节假日安排（测试用）',
  days: {
    '2027-01-01': 'rest', // 元旦 (Friday)
    '2027-02-05': 'rest', '2027-02-08': 'rest', '2027-02-09': 'rest', '2027-02-10': 'rest', '2027-02-11': 'rest', // 春节
    '2027-02-20': 'work', // make-up working Saturday
    '2027-04-05': 'rest', // 清明
    '2027-05-03': 'rest', '2027-05-04': 'rest', '2027-05-05': 'rest', '2027-04-25': 'work', // 劳动节
    '2027-06-09': 'rest', // 端午
    '2027-09-15': 'rest', // 中秋
    '2027-10-01': 'rest', '2027-10-04': 'rest', '2027-10-05': 'rest', '2027-10-06': 'rest', '2027-10-07': 'rest', // 国庆
    '2027-09-26': 'work', '2027-10-09': 'work',
  },
} as const;

interface CalendarView {
  year: number; covered: boolean; provisional: boolean; workingDays: number;
  restDays: string[]; makeUpWorkingDays: string[]; overrides: { year: number; published?: boolean; days: Record<string, string> };
}

describe.each(await dialects())('calendar API on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let agency: string;
  let leadId: string;

  const put = (year: number | string, body: unknown, token = bureau) => Promise.resolve(t.app.request(`/api/calendar/${year}`, {
    method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { authorization: `Bearer ${token ?? ADMIN_TOKEN}`, 'content-type': 'application/json' },
  }));
  const calendar = async (year: number, token = bureau): Promise<CalendarView> => {
    const res = await t.get(`/api/calendar/${year}`, token);
    expect(res.status).toBe(200);
    return res.json();
  };
  const assignment = async () => (await (await t.get(`/api/leads/${leadId}`, bureau)).json()).assignments[0];
  const actions = async (action: string) =>
    t.database.db.selectFrom('events').select(['seq', 'lead_id', 'data']).where('action', '=', action).orderBy('seq').execute();

  beforeAll(async () => {
    t = await testApp(dialect, { now: local('2026-12-20T10:00:00') });
    bureau = await t.token('bureau');
    agency = await t.token('agency', { agency: 'urban' });
    const res = await t.deliver('hotline', { ...hotline.valid, orderNo: `GD-CAL-${dialect}`, createdAt: '2026-12-20T09:30:00+08:00' });
    expect(res.status).toBeLessThan(300);
    leadId = (await res.json()).leadId;
  });
  afterAll(async () => { await t.close(); });

  it('lists 2026 with its published rest days and make-up working days', async () => {
    const y = await calendar(2026);
    expect(y).toMatchObject({ year: 2026, covered: true, provisional: false });
    // 国庆: 1–7 October; the weekend days among them are not listed (they are rest days anyway).
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']) expect(y.restDays).toContain(d);
    for (const d of ['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-20', '2026-02-23', '2026-04-06', '2026-05-05', '2026-06-19', '2026-09-25']) {
      expect(y.restDays).toContain(d);
    }
    expect(y.makeUpWorkingDays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(y.restDays).not.toContain('2026-10-08');
    expect(y.restDays.every((d) => d.startsWith('2026-'))).toBe(true);
    // 261 weekdays in 2026, less the weekday rest days, plus the make-up Saturdays/Sundays.
    expect(y.workingDays).toBe(261 - y.restDays.length + y.makeUpWorkingDays.length);
    expect(y.overrides).toEqual({ year: 2026, days: {} });
    // Agencies may read the calendar too.
    expect((await t.get('/api/calendar/2026', agency)).status).toBe(200);
  });

  it('says 2027 is not covered yet, and counts it Monday to Friday meanwhile', async () => {
    const y = await calendar(2027);
    expect(y).toMatchObject({ year: 2027, covered: false, provisional: true, restDays: [], makeUpWorkingDays: [] });
    expect(y.workingDays).toBe(261); // 2027 has 261 weekdays
  });

  it('makes a 15-working-day deadline that reaches into 2027 provisional', async () => {
    const res = await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban', workingDays: 15 }, bureau);
    expect(res.status).toBe(200);
    const a = (await res.json()).assignments[0];
    // Sunday 20 Dec → 21–25, 28–31 Dec (9), 1 Jan 2027 counted as a Friday (10), 4–8 Jan (15).
    expect(a).toMatchObject({
      agency: 'urban', calendarProvisional: true,
      ackDueAt: '2026-12-21T15:59:59.000Z', dueAt: '2027-01-08T15:59:59.000Z',
    });
    // …and the bureau is told once that 2027's arrangement is missing.
    const notice = await t.database.db.selectFrom('outbox').select('message').where('key', '=', 'calendar-provisional:2027').executeTakeFirstOrThrow();
    expect(JSON.parse(notice.message)).toMatchObject({ to: ['jiandu@example.gov.cn'], template: { name: 'provisional-calendar', input: { year: 2027 } } });
  });

  it('refuses bad tables with 422 and errors[], and agencies with 403, changing nothing', async () => {
    const before = { y: await calendar(2027), events: (await actions('calendar.updated')).length, a: await assignment() };

    const outside = await put(2027, { published: true, days: { '2026-12-31': 'rest', '2027-01-01': 'rest' } });
    expect(outside.status).toBe(422);
    const o = await outside.json();
    expect(o.errors).toEqual([expect.objectContaining({ path: '/days/2026-12-31' })]);

    const kind = await put(2027, { published: true, days: { '2027-01-01': 'holiday' } });
    expect(kind.status).toBe(422);
    expect((await kind.json()).errors).toEqual([expect.objectContaining({ path: '/days/2027-01-01' })]);

    const bad = [
      await put(2027, { published: true, days: { '2027-02-30': 'rest' } }), // no such date
      await put(2027, { published: 'yes', days: {} }),
      await put(2027, { days: {}, extra: 1 }), // unknown key
      await put(2027, { year: 2028, days: {} }), // another year than the path's
    ];
    for (const r of bad) {
      expect(r.status).toBe(422);
      const body = await r.json();
      expect(Array.isArray(body.errors) && body.errors.length > 0).toBe(true);
    }
    expect((await put(2027, '{not json')).status).toBe(400); // not JSON at all: 400, as everywhere
    expect((await put(20270, { days: {} })).status).toBe(422);

    const forbidden = await put(2027, { published: true, days: { '2027-01-01': 'rest' } }, agency);
    expect(forbidden.status).toBe(403);

    expect(await calendar(2027)).toEqual(before.y);
    expect(await actions('calendar.updated')).toHaveLength(before.events);
    expect(await actions('deadline.recomputed')).toHaveLength(0);
    expect(await assignment()).toEqual(before.a);
  });

  it('recomputes the provisional deadline when the bureau enters the published 2027 table', async () => {
    t.clock.set(local('2026-12-22T11:00:00'));
    const res = await put(2027, TABLE_2027);
    expect(res.status).toBe(200);
    const saved = await res.json();
    expect(saved).toMatchObject({ year: 2027, recomputedAssignments: 1, saved: { year: 2027, published: true } });

    const y = await calendar(2027);
    expect(y).toMatchObject({ covered: true, provisional: false });
    expect(y.restDays).toContain('2027-01-01');
    expect(y.restDays).toContain('2027-10-07');
    expect(y.makeUpWorkingDays).toEqual(['2027-02-20', '2027-04-25', '2027-09-26', '2027-10-09']);
    expect(y.overrides).toMatchObject({ year: 2027, published: true, days: TABLE_2027.days });

    // 1 Jan 2027 is now a rest day: the 15th working day moves from Friday 8 to Monday 11 January.
    const a = await assignment();
    expect(a).toMatchObject({ calendarProvisional: false, ackDueAt: '2026-12-21T15:59:59.000Z', dueAt: '2027-01-11T15:59:59.000Z' });

    const updated = await actions('calendar.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.lead_id).toBeNull();
    expect(JSON.parse(updated[0]!.data)).toMatchObject({ year: 2027, published: true, days: Object.keys(TABLE_2027.days).length });

    const events = (await (await t.get(`/api/leads/${leadId}/events`, bureau)).json()).items as { action: string; data: any }[];
    const recomputed = events.filter((e) => e.action === 'deadline.recomputed');
    expect(recomputed).toHaveLength(1);
    expect(recomputed[0]!.data).toMatchObject({
      provisional: false, from: { dueAt: '2027-01-08T15:59:59.000Z' }, to: { dueAt: '2027-01-11T15:59:59.000Z' },
    });

    // Entering the same table again moves nothing more.
    const again = await put(2027, TABLE_2027);
    expect((await again.json()).recomputedAssignments).toBe(0);
    expect(await actions('deadline.recomputed')).toHaveLength(1);
    expect(await actions('calendar.updated')).toHaveLength(2);
  });

  it('takes a local rest day (published: false) in a covered year into account', async () => {
    const before = await calendar(2026);
    expect(before.restDays).not.toContain('2026-03-10');
    const res = await put(2026, { published: false, days: { '2026-03-10': 'rest', '2026-03-14': 'work' }, note: '区级临时安排' });
    expect(res.status).toBe(200);
    expect((await res.json()).recomputedAssignments).toBe(0);
    const after = await calendar(2026);
    expect(after.covered).toBe(true); // published: false never un-covers a published year
    expect(after.restDays).toContain('2026-03-10'); // a Tuesday, now a rest day
    expect(after.makeUpWorkingDays).toContain('2026-03-14'); // a Saturday, now worked
    expect(after.workingDays).toBe(before.workingDays); // one day off, one day on
    expect(after.overrides).toMatchObject({ year: 2026, published: false, days: { '2026-03-10': 'rest', '2026-03-14': 'work' } });

    // PUT replaces the year's table: without 14 March it is a plain Saturday again.
    await put(2026, { days: { '2026-03-10': 'rest' } });
    const replaced = await calendar(2026);
    expect(replaced.makeUpWorkingDays).not.toContain('2026-03-14');
    expect(replaced.restDays).toContain('2026-03-10');
    expect(replaced.workingDays).toBe(before.workingDays - 1);
  });
});
