// commit(plan) on every database: counters filled in, guards that fail the whole plan, events
// chained, and re-planning after a conflict.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.ts';
import { verifyAudit } from '../src/db/stores/audit.ts';
import { counterId, planAndCommit, PlanConflict, type Plan } from '../src/domain/plan.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';

const at = '2026-03-02T01:00:00.000Z';

describe.each(await dialects())('commit(plan) on %s', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase(dialect);
    await migrateToLatest(database.db, database.pgSchema);
  });
  afterEach(async () => { await database.drop(); });

  function jobRunPlan(key: string): Plan {
    const n = counterId('n', 'plan-test', { prefix: 'JR-', width: 4 });
    return {
      counters: [n],
      guards: [{ kind: 'absent', table: 'job_runs', where: { key }, reason: `${key} 已写过` }],
      writes: [{ kind: 'insert', table: 'job_runs', row: { key, at: `${at}|${n.placeholder}` } }],
      events: [{ leadId: null, actor: 'system', action: 'test.planned', at, data: { key, n: n.placeholder } }],
    };
  }

  it('fills in counters everywhere, chains the events, and a failed guard changes nothing', async () => {
    const { backend, db } = database;
    const first = await backend.commit(jobRunPlan('a'));
    const second = await backend.commit(jobRunPlan('b'));
    expect(Object.values(first.ids)).toEqual(['JR-0001']);
    expect(Object.values(second.ids)).toEqual(['JR-0002']);
    const rows = await db.selectFrom('job_runs').select(['key', 'at']).orderBy('key').execute();
    expect(rows).toEqual([{ key: 'a', at: `${at}|JR-0001` }, { key: 'b', at: `${at}|JR-0002` }]);

    await expect(backend.commit(jobRunPlan('a'))).rejects.toBeInstanceOf(PlanConflict);
    expect(await db.selectFrom('job_runs').select('key').execute()).toHaveLength(2);
    const counter = await db.selectFrom('counters').select('last').where('name', '=', 'plan-test').executeTakeFirstOrThrow();
    expect(Number(counter.last)).toBe(2); // the failed plan's counter step was rolled back with it
    const events = await db.selectFrom('events').select(['action', 'data']).where('action', '=', 'test.planned').orderBy('seq').execute();
    expect(events.map((e) => JSON.parse(e.data))).toEqual([{ key: 'a', n: 'JR-0001' }, { key: 'b', n: 'JR-0002' }]);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('a guard on a row as read: exists with the version, an update that adds', async () => {
    const { backend, db } = database;
    await db.insertInto('counters').values({ name: 'v', last: 1 }).execute();
    const bump = (expected: number): Plan => ({
      counters: [], events: [],
      guards: [{ kind: 'exists', table: 'counters', where: { name: 'v', last: expected }, reason: '版本已变' }],
      writes: [{ kind: 'update', table: 'counters', set: { last: { add: 1 } }, where: { name: 'v' } }],
    });
    // Two plans decided on the same version, committed in one group: the second one conflicts.
    const results = await Promise.allSettled([backend.commit(bump(1)), backend.commit(bump(1))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(PlanConflict);
    // planAndCommit reads again and plans again.
    let reads = 0;
    await planAndCommit(backend, async () => {
      reads++;
      const row = await db.selectFrom('counters').select('last').where('name', '=', 'v').executeTakeFirstOrThrow();
      return { plan: bump(reads === 1 ? 1 : Number(row.last)), answer: () => undefined };
    });
    expect(reads).toBe(2);
    expect(Number((await db.selectFrom('counters').select('last').where('name', '=', 'v').executeTakeFirstOrThrow()).last)).toBe(3);
  });
});
