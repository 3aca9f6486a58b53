// The full-process record is hash-chained: `xiansuo audit verify` names the first altered or missing entry.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';

const run = promisify(execFile);

async function auditVerify(t: TestApp): Promise<{ code: number; stdout: string }> {
  const env: Record<string, string> = { ...process.env as Record<string, string>, DATABASE_URL: t.database.url };
  if (t.database.pgSchema) env.PGOPTIONS = `-c search_path=${t.database.pgSchema}`;
  try {
    const { stdout } = await run('node', ['bin/xiansuo.js', 'audit', 'verify'], { env });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe.each(await dialects())('full-process record on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
    for (let i = 0; i < 4; i++) await t.deliver('hotline', { orderNo: `GD-AUDIT-${i}`, createdAt: hotline.valid.createdAt, ...PROBLEMS[i]! });
  });
  afterAll(async () => { await t.close(); });

  it('verifies an intact record', async () => {
    const r = await auditVerify(t);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/全过程记录完整：已校验 \d+ 条/);
  });

  it('names exactly the entry whose stored data was edited', async () => {
    const target = await t.database.db.selectFrom('events').select(['seq', 'data']).where('action', '=', 'lead.created')
      .orderBy('seq').limit(1).executeTakeFirstOrThrow();
    expect(target.data).toContain('渣土');
    await t.database.db.updateTable('events').set({ data: target.data.replace('渣土', '砂石') }).where('seq', '=', target.seq).execute();
    const r = await auditVerify(t);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`第 ${target.seq} 条`);
    expect(r.stdout).toContain('内容已被改动');
    await t.database.db.updateTable('events').set({ data: target.data }).where('seq', '=', target.seq).execute();
    expect((await auditVerify(t)).code).toBe(0);
  });

  it('names a deleted entry as missing', async () => {
    const victim = await t.database.db.selectFrom('events').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
    await t.database.db.deleteFrom('events').where('seq', '=', 5).execute();
    const r = await auditVerify(t);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('第 5 条');
    expect(r.stdout).toContain('缺失');
    await t.database.db.insertInto('events').values(victim).execute();
  });

  it('notices the newest entries cut off', async () => {
    const last = await t.database.db.selectFrom('events').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await t.database.db.deleteFrom('events').where('seq', '=', last.seq).execute();
    const r = await auditVerify(t);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`第 ${Number(last.seq)} 条`);
    await t.database.db.insertInto('events').values(last).execute();
    expect((await auditVerify(t)).code).toBe(0);
  });
});
