// The full-process record against someone who can write to the database (issue 12, item 6):
// with XIANSUO_AUDIT_KEY the chain is keyed, so rewriting an entry and computing the plain SHA-256
// chain again is found; a published head (--anchor) is checked; a lead or assignment whose
// status, agency or deadline was changed by direct SQL is found; the bureau gets the head daily.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { eventHash } from '../src/domain/audit.ts';
import { sweepAndDeliver } from '../src/jobs/index.ts';
import type { Logger } from '../src/http/context.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects, freshDatabase } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtpSink.ts';
import { startServer } from './helpers/server.ts';

const run = promisify(execFile);
/** Each test runs the CLI as node processes; on a busy 2-core machine that can take a while. */
const TIMEOUT = 180_000;
const KEY = 'test-audit-key-0123456789abcdef-0123456789';
const local = (s: string) => new Date(`${s}+08:00`).toISOString();

type Db = TestApp['database']['db'];

async function verify(t: TestApp, opts: { key?: string | null; anchor?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = { ...process.env as Record<string, string>, DATABASE_URL: t.database.url };
  delete env.XIANSUO_AUDIT_KEY;
  const key = opts.key === undefined ? KEY : opts.key;
  if (key) env.XIANSUO_AUDIT_KEY = key;
  if (t.database.pgSchema) env.PGOPTIONS = `-c search_path=${t.database.pgSchema}`;
  const args = ['bin/xiansuo.js', 'audit', 'verify', ...(opts.anchor ? ['--anchor', opts.anchor] : [])];
  try {
    const { stdout, stderr } = await run(process.execPath, args, { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** What an attacker with write access does: edit entry `seq`, then compute the plain chain again from it to the end. */
async function rewriteWithPlainChain(db: Db, seq: number, edit: (data: string) => string): Promise<void> {
  const rows = await db.selectFrom('events').selectAll().where('seq', '>=', seq).orderBy('seq').execute();
  const before = await db.selectFrom('events').select('hash').where('seq', '=', seq - 1).executeTakeFirstOrThrow();
  let prev = before.hash;
  for (const r of rows) {
    const data = Number(r.seq) === seq ? edit(r.data) : r.data;
    const e = { seq: Number(r.seq), leadId: r.lead_id, reportId: r.report_id, actor: r.actor, action: r.action, at: r.at, data, state: r.state, prevHash: prev };
    const hash = eventHash(e);
    await db.updateTable('events').set({ data, prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
    prev = hash;
  }
  const last = rows[rows.length - 1]!;
  await db.updateTable('audit_head').set({ seq: last.seq, hash: prev }).where('id', '=', 1).execute();
}

describe.each(await dialects())('keyed full-process record on %s', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  const logged: Record<string, unknown>[] = [];
  const log: Logger = { info: (f) => logged.push(f), error: (f) => logged.push(f), warn: (f) => logged.push(f) };
  let leadId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await testApp(dialect, {
      env: { XIANSUO_AUDIT_KEY: KEY, SMTP_URL: sink.url }, now: local('2026-03-02T10:00:00'), deps: { log },
    });
    for (let i = 0; i < 3; i++) {
      const res = await t.deliver('hotline', { orderNo: `GD-KEY-${i}`, createdAt: hotline.valid.createdAt, ...PROBLEMS[i]! });
      leadId ??= (await res.json()).leadId;
    }
    const bureau = await t.token('bureau');
    expect((await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban' }, bureau)).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('keys the chain from its first entry on a fresh database, and verifies it with the key', async () => {
    const first = await t.database.db.selectFrom('events').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(first.action).toBe('audit.keyed');
    const r = await verify(t);
    expect(r.stdout).toMatch(/全过程记录完整：已校验 \d+ 条（自第 1 条起以密钥签名）/);
    expect(r.code).toBe(0);
    // Without the key it cannot be checked, and says so.
    const without = await verify(t, { key: null });
    expect(without.code).toBe(1);
    expect(without.stdout).toContain('XIANSUO_AUDIT_KEY');
    const wrong = await verify(t, { key: 'another-key-of-at-least-thirty-two-characters' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('密钥不符');
  }, TIMEOUT);

  it('finds an entry rewritten with the plain SHA-256 chain computed again, and a marker moved or removed', async () => {
    const db = t.database.db;
    const snapshot = await db.selectFrom('events').selectAll().orderBy('seq').execute();
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const target = snapshot.find((e) => e.action === 'lead.created')!;
    await rewriteWithPlainChain(db, Number(target.seq), (d) => d.replace('渣土', '砂石'));
    const r = await verify(t);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`第 ${Number(target.seq)} 条`);
    expect(r.stdout).toContain('内容已被改动');
    // Declaring the chain unkeyed, or keyed only from later on, does not help.
    await db.updateTable('audit_head').set({ keyed_from: null, key_id: null, key_mac: null }).execute();
    expect((await verify(t)).stdout).toContain('没有启用密钥的标记');
    await db.updateTable('audit_head').set({ keyed_from: Number(head.seq) + 1, key_id: head.key_id, key_mac: head.key_mac }).execute();
    expect((await verify(t)).stdout).toContain('标记（自第');
    // Put everything back: whole again.
    for (const e of snapshot) await db.updateTable('events').set(e).where('seq', '=', e.seq).execute();
    await db.updateTable('audit_head').set(head).execute();
    expect((await verify(t)).code).toBe(0);
  }, TIMEOUT);

  it('checks a published head: a wrong hash names the entry, a head beyond the record means entries were cut off', async () => {
    const e = await t.database.db.selectFrom('events').select(['seq', 'hash']).where('seq', '=', 4).executeTakeFirstOrThrow();
    const ok = await verify(t, { anchor: `4:${e.hash}` });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('与公布的链头（第 4 条）一致');
    const wrongHash = e.hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const bad = await verify(t, { anchor: `4:${wrongHash}` });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('第 4 条');
    expect(bad.stdout).toContain('公布的链头不符');
    const beyond = await verify(t, { anchor: `100000:${e.hash}` });
    expect(beyond.code).toBe(1);
    expect(beyond.stdout).toContain('第 100000 条');
    const malformed = await verify(t, { anchor: '4-abc' });
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr.trim().split('\n')).toHaveLength(1);
  }, TIMEOUT);

  it('finds a lead status, agency or deadline changed by direct SQL, and an assignment or lead written outside the service', async () => {
    const db = t.database.db;
    const lead = await db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirstOrThrow();
    const a = await db.selectFrom('assignments').selectAll().where('lead_id', '=', leadId).executeTakeFirstOrThrow();
    expect(lead.status).toBe('assigned');

    const edits: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      ['的状态为 “closed”', () => db.updateTable('leads').set({ status: 'closed' }).where('id', '=', leadId).execute(),
        () => db.updateTable('leads').set({ status: lead.status }).where('id', '=', leadId).execute()],
      ['的建议承办单位为 “market”', () => db.updateTable('leads').set({ routing_agency: 'market' }).where('id', '=', leadId).execute(),
        () => db.updateTable('leads').set({ routing_agency: lead.routing_agency }).where('id', '=', leadId).execute()],
      ['的承办单位为 “market”', () => db.updateTable('assignments').set({ agency: 'market' }).where('id', '=', a.id).execute(),
        () => db.updateTable('assignments').set({ agency: a.agency }).where('id', '=', a.id).execute()],
      ['的整改反馈期限为 “2027-01-01T15:59:59.000Z”', () => db.updateTable('assignments').set({ due_at: '2027-01-01T15:59:59.000Z' }).where('id', '=', a.id).execute(),
        () => db.updateTable('assignments').set({ due_at: a.due_at }).where('id', '=', a.id).execute()],
      ['的签收期限为 空', () => db.updateTable('assignments').set({ ack_due_at: null }).where('id', '=', a.id).execute(),
        () => db.updateTable('assignments').set({ ack_due_at: a.ack_due_at }).where('id', '=', a.id).execute()],
      ['的状态为 “closed”', () => db.updateTable('assignments').set({ status: 'closed' }).where('id', '=', a.id).execute(),
        () => db.updateTable('assignments').set({ status: a.status }).where('id', '=', a.id).execute()],
      ['不在全过程记录中', () => db.insertInto('assignments').values({ ...a, id: `${a.id}-x`, agency: 'market' }).execute(),
        () => db.deleteFrom('assignments').where('id', '=', `${a.id}-x`).execute()],
      ['已不在数据库中', () => db.deleteFrom('assignments').where('id', '=', a.id).execute(),
        () => db.insertInto('assignments').values(a).execute()],
      ['没有任何记载', () => db.insertInto('leads').values({ ...lead, id: 'XS-2026-999999' }).execute(),
        () => db.deleteFrom('leads').where('id', '=', 'XS-2026-999999').execute()],
    ];
    for (const [expected, edit, undo] of edits) {
      await edit();
      const r = await verify(t);
      expect(r.code, expected).toBe(1);
      expect(r.stdout, expected).toContain('数据与记录不符');
      expect(r.stdout, expected).toContain(expected);
      await undo();
    }
    const whole = await verify(t);
    expect(whole.stdout).toMatch(/线索状态：3 条线索已与记录核对/);
    expect(whole.code).toBe(0);
  }, TIMEOUT);

  it('mails the chain head to the bureau with the daily digests and logs it; the head verifies as an anchor', async () => {
    t.clock.set(local('2026-03-03T09:00:00'));
    await sweepAndDeliver(t.deps, t.clock.now());
    const mail = sink.messages.find((m) => String(m.parsed.headers.get('x-xiansuo-key')).startsWith('audit-head:'));
    expect(mail, 'the chain head mail').toBeDefined();
    expect(mail!.to).toEqual(['jiandu@example.gov.cn']);
    expect(mail!.parsed.subject).toContain('全过程记录链头');
    const published = await t.database.db.selectFrom('events').selectAll().where('action', '=', 'audit.head-published').executeTakeFirstOrThrow();
    const { seq, hash } = JSON.parse(published.data) as { seq: number; hash: string };
    // The head is the entry just before the one recording its publication.
    expect(Number(published.seq)).toBe(seq + 1);
    expect(published.prev_hash).toBe(hash);
    expect(mail!.parsed.text).toContain(`audit verify --anchor ${seq}:${hash}`);
    expect(mail!.parsed.text).toContain('HMAC-SHA-256');
    expect(logged.filter((l) => l.msg === '全过程记录链头')).toEqual([expect.objectContaining({ seq, hash, anchor: `${seq}:${hash}` })]);
    // Once a day.
    t.clock.set(local('2026-03-03T15:00:00'));
    await sweepAndDeliver(t.deps, t.clock.now());
    expect(sink.messages.filter((m) => String(m.parsed.headers.get('x-xiansuo-key')).startsWith('audit-head:'))).toHaveLength(1);
    const r = await verify(t, { anchor: `${seq}:${hash}` });
    expect(r.code).toBe(0);
  }, TIMEOUT);

  it('serves with the key, refuses to start without it on this keyed record, and warns in one line when a record has no key', async () => {
    const env = { DATABASE_URL: t.database.url };
    const keyed = await startServer({ ...env, XIANSUO_AUDIT_KEY: KEY }, { pgSchema: t.database.pgSchema });
    try {
      expect(keyed.output()).not.toContain('未设置 XIANSUO_AUDIT_KEY');
    } finally {
      await keyed.kill();
    }
    const childEnv: Record<string, string> = { ...process.env as Record<string, string>, ...env, XIANSUO_JOBS: 'off', PORT: '0' };
    delete childEnv.XIANSUO_AUDIT_KEY;
    if (t.database.pgSchema) childEnv.PGOPTIONS = `-c search_path=${t.database.pgSchema}`;
    const refused = await run(process.execPath, ['bin/xiansuo.js', 'serve'], { env: childEnv, timeout: 60_000 }).then(
      (r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    expect(refused.code, `${refused.stdout}\n${refused.stderr}`).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/以密钥签名，但未设置 XIANSUO_AUDIT_KEY/);
    const plain = await freshDatabase(dialect);
    try {
      const server = await startServer({ DATABASE_URL: plain.url }, { pgSchema: plain.pgSchema });
      await server.kill();
      const warnings = server.output().split('\n').filter((l) => l.includes('XIANSUO_AUDIT_KEY'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 'warn', msg: expect.stringContaining('未设置 XIANSUO_AUDIT_KEY') });
    } finally {
      await plain.drop();
    }
  }, TIMEOUT);
});
