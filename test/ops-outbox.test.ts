// Visible delivery: a failed mail is logged with its cause at warning level, the bureau and the
// operator see pending and dead messages with their last error (GET /api/outbox, `xiansuo
// outbox`), and `xiansuo outbox retry ID` sends one again. A real SMTP server refuses and accepts.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutbox, retryMessage } from '../src/app/deliverOutbox.ts';
import { jsonLogger } from '../src/runtime/log.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtpSink.ts';

const exec = promisify(execFile);

describe.each(await dialects())('visible delivery on %s', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let bureau: string;
  const logged: Record<string, unknown>[] = [];
  const cli = async (...args: string[]) => {
    const env: Record<string, string> = {
      ...process.env as Record<string, string>, DATABASE_URL: t.database.url, SMTP_URL: sink.url, XIANSUO_TZ: 'Asia/Shanghai',
      ...(t.database.pgSchema ? { PGOPTIONS: `-c search_path=${t.database.pgSchema}` } : {}),
    };
    try {
      return { code: 0, ...await exec(process.execPath, [resolve('bin/xiansuo.js'), ...args], { env }) };
    } catch (err) {
      return err as { code: number; stdout: string; stderr: string };
    }
  };

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipients: { 'market@example.gov.cn': 550 } });
    t = await testApp(dialect, { env: { SMTP_URL: sink.url }, deps: { log: jsonLogger((l) => logged.push(JSON.parse(l))) } });
    bureau = await t.token('bureau');
    for (const [i, agency] of [[1, 'market'], [2, 'urban']] as const) {
      const { leadId } = await (await t.deliver('hotline', { orderNo: `GD-OPS-OUT-${i}`, createdAt: '2026-03-02T09:15:00+08:00', ...PROBLEMS[i]! })).json();
      expect((await t.post(`/api/leads/${leadId}/assign`, { agency }, bureau)).status).toBe(200);
    }
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('logs each failed mail at warning level with its cause', async () => {
    // market@ is refused for good (550); urban@ gets its mail; the bureau's dead-letter notice is queued.
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 1, retried: 0, dead: 1 });
    // The mail server goes down before the notice is sent (451: try again later).
    sink.setDown(true);
    expect(await deliverOutbox(t.deps, t.clock.now())).toMatchObject({ sent: 0, retried: 1, dead: 0 });
    const warnings = logged.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(warnings).toContainEqual(expect.objectContaining({
      msg: '消息发送失败，已放弃（dead）', channel: 'email', to: ['market@example.gov.cn'], error: expect.stringMatching(/550/), reason: expect.any(String),
    }));
    expect(warnings).toContainEqual(expect.objectContaining({
      msg: '消息发送失败，稍后重试', to: ['jiandu@example.gov.cn'], error: expect.stringMatching(/451/), nextAttemptAt: expect.any(String), attempt: 1,
    }));
  });

  it('GET /api/outbox shows the bureau pending and dead messages with the last error', async () => {
    const res = await t.get('/api/outbox', bureau);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.counts).toEqual({ pending: 1, dead: 1 });
    const byTo = Object.fromEntries(body.items.map((i: { to: string[] }) => [i.to[0], i]));
    expect(byTo['market@example.gov.cn']).toMatchObject({ status: 'dead', channel: 'email', template: 'assignment', attempts: 1, lastError: expect.stringMatching(/550/), nextAttemptAt: null });
    expect(byTo['jiandu@example.gov.cn']).toMatchObject({ status: 'pending', template: 'dead-letter', attempts: 1, lastError: expect.stringMatching(/451/), nextAttemptAt: expect.any(String) });
    const dead = await (await t.get('/api/outbox?status=dead', bureau)).json();
    expect(dead.items.map((i: { status: string }) => i.status)).toEqual(['dead']);
    const page = await (await t.get('/api/outbox?limit=1', bureau)).json();
    expect(page.items).toHaveLength(1);
    const next = await (await t.get(`/api/outbox?limit=1&cursor=${page.nextCursor}`, bureau)).json();
    expect(next.items[0].id).not.toBe(page.items[0].id);
  });

  it('GET /api/outbox refuses other roles and bad parameters with problem+json, changing nothing', async () => {
    expect((await t.get('/api/outbox', await t.token('agency', { agency: 'urban' }))).status).toBe(403);
    expect((await t.get('/api/outbox', await t.token('viewer'))).status).toBe(403);
    for (const q of ['status=bogus', 'limit=0', 'limit=abc', 'limit=100000', 'cursor=%21%21', 'colour=red']) {
      const res = await t.get(`/api/outbox?${q}`, bureau);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type'), q).toMatch(/^application\/problem\+json/);
      expect((await res.json()).errors.length, q).toBeGreaterThan(0);
    }
  });

  it('`xiansuo outbox` lists the same, in the bureau zone, with the last error', async () => {
    const r = await cli('outbox');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('发件箱：待发送 1 条，已放弃 1 条，已发送 1 条');
    expect(r.stdout).toMatch(/ob_\S+ {2}已放弃 {2}已尝试 1 次[\s\S]*→ market@example\.gov\.cn：【交办】[\s\S]*最后错误：.*550/);
    expect(r.stdout).toMatch(/ob_\S+ {2}待发送 {2}已尝试 1 次 {2}下次尝试 2026-03-02 1\d:\d\d:\d\d/);
    expect(r.stderr).toMatch(/数据库 .*；邮件 SMTP smtp:\/\/127\.0\.0\.1:\d+/);
  });

  it('`xiansuo outbox retry ID` sends a pending message again at once and records it', async () => {
    sink.setDown(false);
    const row = await t.database.db.selectFrom('outbox').select('id').where('status', '=', 'pending').where('message', 'like', '%jiandu@example.gov.cn%').executeTakeFirstOrThrow();
    const r = await cli('outbox', 'retry', row.id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`消息 ${row.id} 已重新发送成功`));
    expect((await sink.waitFor(2)).map((m) => m.to)).toEqual([['urban@example.gov.cn'], ['jiandu@example.gov.cn']]);
    expect((await t.database.db.selectFrom('outbox').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('sent');
    const ev = await t.database.db.selectFrom('events').select(['actor', 'data']).where('action', '=', 'message.requeued').execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]!.actor).toBe('cli');
    expect(await cli('outbox', 'retry', row.id)).toMatchObject({ code: 2, stderr: expect.stringContaining('已经发送过') });
    expect(await cli('outbox', 'retry', 'ob_nope')).toMatchObject({ code: 2, stderr: expect.stringContaining('没有 id 为 “ob_nope” 的消息') });
  });

  it('a dead message retried while its cause persists is dead again, with the new error', async () => {
    const row = await t.database.db.selectFrom('outbox').select('id').where('status', '=', 'dead').executeTakeFirstOrThrow();
    const r = await retryMessage(t.deps, row.id, t.clock.now(), 'test');
    expect(r).toEqual({ ok: true, result: { sent: 0, retried: 0, dead: 1 } });
    expect(logged.filter((l) => l.level === 'warn').at(-1)).toMatchObject({ outbox: row.id, attempt: 2, error: expect.stringMatching(/550/) });
  });
});
