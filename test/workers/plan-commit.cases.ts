// Inside workerd (run from workerd.test.ts): commit(plan) on D1 (src/db/d1/backend.ts), one db.batch() per plan, with the
// same cases as test/plan-commit.test.ts runs on SQLite and PostgreSQL: counters filled in
// everywhere, a failed guard changes nothing, events chained, a conflict re-planned.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { verifyChain, type ChainedEvent } from '../../src/domain/audit.ts';
import { counterId, planAndCommit, PlanConflict, type Plan } from '../../src/domain/plan.ts';
import { commitPlan, write } from '../../src/db/commit.ts';
import { d1Database } from '../../src/runtime/workerDeps.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';

const at = '2026-03-02T01:00:00.000Z';

function jobRunPlan(key: string): Plan {
  const n = counterId('n', 'plan-test', { prefix: 'JR-', width: 4 });
  return {
    counters: [n],
    guards: [{ kind: 'absent', table: 'job_runs', where: { key }, reason: `${key} 已写过` }],
    writes: [{ kind: 'insert', table: 'job_runs', row: { key, at: `${at}|${n.placeholder}` } }],
    events: [{ leadId: null, actor: 'system', action: 'test.planned', at, data: { key, n: n.placeholder } }],
  };
}

async function chainOk(): Promise<boolean> {
  const events = (await env.DB.prepare('select seq, lead_id, report_id, actor, action, at, data, state, prev_hash, hash from events order by seq').all<Record<string, unknown>>()).results;
  const head = await env.DB.prepare('select seq, hash from audit_head where id = 1').first<{ seq: number; hash: string }>();
  const chained = events.map((e) => ({
    seq: Number(e.seq), leadId: e.lead_id, reportId: e.report_id, actor: e.actor, action: e.action, at: e.at, data: e.data, state: e.state, prevHash: e.prev_hash, hash: e.hash,
  }) as ChainedEvent);
  return (await verifyChain(chained, { seq: Number(head!.seq), hash: head!.hash })).ok;
}

describe('commit(plan) on D1', () => {
  const backend = d1Database(env as unknown as WorkerEnv);
  const db = backend.db;

  it('fills in counters everywhere, chains the events, and a failed guard changes nothing', async () => {
    const first = await backend.commit(jobRunPlan('a'));
    const second = await backend.commit(jobRunPlan('b'));
    expect(Object.values(first.ids)).toEqual(['JR-0001']);
    expect(Object.values(second.ids)).toEqual(['JR-0002']);
    const rows = await db.selectFrom('job_runs').select(['key', 'at']).where('key', 'in', ['a', 'b']).orderBy('key').execute();
    expect(rows).toEqual([{ key: 'a', at: `${at}|JR-0001` }, { key: 'b', at: `${at}|JR-0002` }]);

    const refused = await backend.commit(jobRunPlan('a')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PlanConflict);
    expect((refused as PlanConflict).reason).toBe('a 已写过');
    expect(await db.selectFrom('job_runs').select('key').where('key', 'in', ['a', 'b']).execute()).toHaveLength(2);
    const counter = await db.selectFrom('counters').select('last').where('name', '=', 'plan-test').executeTakeFirstOrThrow();
    expect(Number(counter.last)).toBe(2); // the failed plan's counter step was rolled back with it
    const events = await db.selectFrom('events').select(['action', 'data']).where('action', '=', 'test.planned').orderBy('seq').execute();
    expect(events.map((e) => JSON.parse(e.data))).toEqual([{ key: 'a', n: 'JR-0001' }, { key: 'b', n: 'JR-0002' }]);
    expect(await chainOk()).toBe(true);
  });

  it('a guard on a row as read: two plans on the same version, one conflicts; planAndCommit re-plans', async () => {
    await env.DB.prepare("insert into counters (name, last) values ('v', 1)").run();
    const bump = (expected: number): Plan => ({
      counters: [], events: [],
      guards: [{ kind: 'exists', table: 'counters', where: { name: 'v', last: expected }, reason: '版本已变' }],
      writes: [{ kind: 'update', table: 'counters', set: { last: { add: 1 } }, where: { name: 'v' } }],
    });
    const results = await Promise.allSettled([backend.commit(bump(1)), backend.commit(bump(1))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(PlanConflict);
    let reads = 0;
    await planAndCommit(backend, async () => {
      reads++;
      const row = await db.selectFrom('counters').select('last').where('name', '=', 'v').executeTakeFirstOrThrow();
      return { plan: bump(reads === 1 ? 1 : Number(row.last)), answer: () => undefined };
    });
    expect(reads).toBe(2);
    expect(Number((await db.selectFrom('counters').select('last').where('name', '=', 'v').executeTakeFirstOrThrow()).last)).toBe(3);
  });

  it('concurrent plans with events all commit, in one unbroken chain (a moved head is retried, not a conflict)', async () => {
    const plans = Array.from({ length: 8 }, (_, i) => jobRunPlan(`c${i}`));
    const done = await Promise.all(plans.map((p) => backend.commit(p)));
    expect(new Set(done.map((d) => Object.values(d.ids)[0])).size).toBe(8);
    expect(await chainOk()).toBe(true);
  });

  it("records each lead's state after the write with its last event", async () => {
    const plan: Plan = {
      counters: [], guards: [],
      writes: [{ kind: 'insert', table: 'leads', row: {
        id: 'XS-T-1', status: 'triage', title: '测试', content: '测试', priority: 'normal', routing_agency: 'urban',
        created_at: at, updated_at: at,
      } }],
      events: [{ leadId: 'XS-T-1', actor: 'system', action: 'lead.created', at, data: {} }],
    };
    await backend.commit(plan);
    const e = await env.DB.prepare("select state from events where lead_id = 'XS-T-1'").first<{ state: string }>();
    expect(JSON.parse(e!.state)).toEqual({ status: 'triage', agency: 'urban', assignments: [] });
    expect(await chainOk()).toBe(true);
  });

  it('the handle routes commitPlan to the batch, and refuses interactive writes with a clear reason', async () => {
    await commitPlan(db, jobRunPlan('via-handle'));
    expect(await db.selectFrom('job_runs').select('key').where('key', '=', 'via-handle').execute()).toHaveLength(1);
    await expect(write(db, async () => 1)).rejects.toThrow(/D1 没有交互式事务/);
  });
});
