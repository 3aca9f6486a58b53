// The queue store on both databases: paging past the counting cap, and the filters over stored rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyQueue, COUNT_CAP, queuePage } from '../src/db/stores/queue.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const N = COUNT_CAP + 5;

describe.each(await dialects())('queue store on %s', (dialect) => {
  let database: TestDatabase;
  const base = { now: '2026-03-02T02:00:00.000Z', soonUntil: '2026-03-05T15:59:59.999Z', page: 1, pageSize: 20 };

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await migrateToLatest(database.db, database.pgSchema);
    const rows = Array.from({ length: N }, (_, i) => {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      return {
        id: `XS-2026-${String(i).padStart(6, '0')}`, status: i === 9 ? 'rectifying' : i % 2 ? 'triage' : 'closed', merged_into: null, title: `第 ${i} 号`,
        content: i === 7 ? '独一无二的描述' : '描述', priority: 'normal', address: null, township: i % 3 ? '梅湾街道' : '伊塘镇',
        subject: null, category: null, routing_agency: null, routing_transfer: null, routing_reason: null, routing_detail: null,
        problem_types: i % 5 ? '[]' : '["逐利执法"]', domain: null, candidates: '[]', channels: i % 4 ? '["hotline"]' : '["hotline","media"]',
        report_count: 1, lifecycle: i === 9 ? '{"pendingExtension":{"assignmentId":"x"}}' : '{}', created_at: at, updated_at: at,
      };
    });
    for (let i = 0; i < rows.length; i += 200) await database.db.insertInto('leads').values(rows.slice(i, i + 200)).execute();
  });
  afterAll(async () => { await database.drop(); });

  it('pages newest first and stops counting at the cap', async () => {
    const first = await queuePage(database.db, base);
    expect(first.rows.map((r) => r.id)[0]).toBe(`XS-2026-${String(N - 1).padStart(6, '0')}`);
    expect(first).toMatchObject({ total: COUNT_CAP, capped: true, hasNext: true });
    expect(first.rows).toHaveLength(20);
    const last = await queuePage(database.db, { ...base, page: Math.ceil(N / 20) });
    expect(last).toMatchObject({ total: N, capped: false, hasNext: false });
    expect(last.rows).toHaveLength(N % 20 || 20);
  });

  it('filters by status, township, channel, problem type, search, dates and pending extension', async () => {
    const count = async (f: Partial<Parameters<typeof queuePage>[1]>) => (await queuePage(database.db, { ...base, pageSize: 2000, ...f })).total;
    const expected = (p: (i: number) => boolean) => Array.from({ length: N }, (_, i) => i).filter(p).length;
    expect(await count({ status: 'triage' })).toBe(expected((i) => i % 2 === 1 && i !== 9));
    expect(await count({ township: '伊塘镇' })).toBe(expected((i) => i % 3 === 0));
    expect(await count({ channel: 'media' })).toBe(expected((i) => i % 4 === 0));
    expect(await count({ problemType: '逐利执法' })).toBe(expected((i) => i % 5 === 0));
    expect(await count({ q: '独一无二' })).toBe(1);
    expect(await count({ q: 'XS-2026-000042' })).toBe(1);
    expect(await count({ from: '2026-01-01T00:10:00.000Z', to: '2026-01-01T00:20:00.000Z' })).toBe(10);
    expect((await queuePage(database.db, { ...base, extension: true })).rows.map((r) => r.id)).toEqual(['XS-2026-000009']);
  });

  it('lists an agency\'s leads open ones first, by the deadline that matters now', async () => {
    const row = (id: string, lead: number, status: string, ack: string, due: string) => ({
      id, lead_id: `XS-2026-${String(lead).padStart(6, '0')}`, agency: 'urban', role: 'primary', status,
      assigned_at: '2026-03-01T00:00:00.000Z', ack_due_at: ack, due_at: due, calendar_provisional: 0, ack_basis: null, due_basis: null,
      deadline_version: 1, acknowledged_at: null, closed_at: null, detail: '{}', next_reminder_at: null, updated_at: '2026-03-01T00:00:00.000Z',
    });
    await database.db.insertInto('assignments').values([
      row('as_closed', 1, 'closed', '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'),
      row('as_ack', 2, 'acknowledged', '2026-03-03T00:00:00.000Z', '2026-03-10T00:00:00.000Z'),
      row('as_new', 3, 'assigned', '2026-03-04T00:00:00.000Z', '2026-03-20T00:00:00.000Z'),
      row('as_soon', 4, 'assigned', '2026-03-02T12:00:00.000Z', '2026-03-25T00:00:00.000Z'),
    ]).execute();
    const { rows, total } = await agencyQueue(database.db, 'urban', 1, 20);
    expect(total).toBe(4);
    expect(rows.map((r) => r.id)).toEqual(['XS-2026-000004', 'XS-2026-000003', 'XS-2026-000002', 'XS-2026-000001']);
    expect((await agencyQueue(database.db, 'market', 1, 20)).rows).toEqual([]);
  });
});
