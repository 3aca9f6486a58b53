// Operating xiansuo as a new operator would, with real child processes: one settings source for
// the service and every command, no silent failure at start, and a sweep that does what API.md §1
// says (with --dry-run to preview).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { freePort } from './helpers/server.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';
import { formatLocal } from '../src/cli/common.ts';

const exec = promisify(execFile);
const BIN = resolve('bin/xiansuo.js');

/** The test runner's environment without any xiansuo setting, so that only what a test gives counts. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env as Record<string, string>)
    .filter(([k]) => !/^(XIANSUO|WEBHOOK|SMTP|MAIL)_|^(DATABASE_URL|PORT|HOST|PGOPTIONS)$/.test(k)));
  return { ...env, ...extra };
}

interface Run { code: number; stdout: string; stderr: string }

async function cli(args: string[], opts: { env: Record<string, string>; cwd?: string }): Promise<Run> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { env: opts.env, cwd: opts.cwd });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Served { child: ChildProcess; output(): string; stopped: Promise<number | null> }

async function serve(port: number, opts: { env: Record<string, string>; cwd?: string }): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...opts.env, PORT: String(port) }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const stopped = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, stopped };
}

/** A time a month from now, as an operator types it: no offset, read in Asia/Shanghai. */
const later = formatLocal(new Date(Date.now() + 30 * 86_400_000), 'Asia/Shanghai').replace(' ', 'T').slice(0, 16);
const payload = {
  orderNo: 'GD-OPS-1', createdAt: '2026-03-02T08:15:00+08:00', caller: { name: '李先生', phone: '13900001111' },
  title: '城管队员强行没收摊贩三轮车', content: '梅湾街道菱角塘市场门口城管执法人员未出示证件强行收走老人的三轮车，推搡致其摔倒。',
  township: '梅湾街道', subject: '城管',
};

describe.each(await dialects())('operating xiansuo on %s', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let server: Served;
  let port: number;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    dir = mkdtempSync(join(tmpdir(), 'xiansuo-ops-'));
    // Everything but the database lives in the settings file of the working directory.
    writeFileSync(join(dir, 'xiansuo.env'), [
      '# written by ops-cli.test.ts', `DATABASE_URL=${database.url}`, `WEBHOOK_SECRET_HOTLINE=${SECRETS.hotline}`,
      'XIANSUO_AUTO_DISPATCH=on', 'XIANSUO_JOBS=off', 'XIANSUO_MAIL_DIR=./mail', 'HOST=127.0.0.1', '',
    ].join('\n'));
    env = cleanEnv(database.pgSchema ? { PGOPTIONS: `-c search_path=${database.pgSchema}` } : {});
    port = await freePort();
    server = await serve(port, { env, cwd: dir });
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGTERM');
    await server?.stopped;
    await database.drop();
  });

  it('says at start which database, mail transport and public URL it uses, and warns about placeholders', () => {
    const start = server.output().split('\n').find((l) => l.includes('xiansuo 已启动'))!;
    expect(start).toBeTruthy();
    const line = JSON.parse(start);
    expect(line).toMatchObject({ host: '127.0.0.1', port, publicUrl: `http://localhost:${port}`, settingsFile: join(dir, 'xiansuo.env') });
    expect(line.database).toMatch(dialect === 'sqlite' ? /^SQLite \// : /^PostgreSQL 127\.0\.0\.1:5432\/test/);
    expect(line.mail).toContain(join(dir, 'mail'));
    expect(JSON.stringify(line)).not.toMatch(/password/i);
    expect(server.output()).toMatch(/"level":"warn","msg":"XIANSUO_PUBLIC_URL 仍是 http:\/\/localhost/);
    expect(server.output()).toMatch(/"level":"warn","msg":"41 个单位和监督科仍使用 example\.gov\.cn/);
  });

  it('a token made by the CLI from the same settings file works in the service; the CLI names its database on stderr', async () => {
    const r = await cli(['token', 'create', '--role', 'bureau'], { env, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(dialect === 'sqlite' ? /数据库 SQLite \/.*；邮件 \.eml 文件/ : /数据库 PostgreSQL 127\.0\.0\.1:5432\/test/);
    expect(r.stderr).toContain(`设置文件 ${join(dir, 'xiansuo.env')}`);
    const token = r.stdout.trim().split('\n').at(-1)!;
    const res = await fetch(`http://127.0.0.1:${port}/api/leads`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('sweep --now … --dry-run writes nothing and prints what would be sent', async () => {
    const body = JSON.stringify(payload);
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/hotline`, {
      method: 'POST', body, headers: signedHeaders(SECRETS.hotline, 'ops-1', new Date(), body),
    });
    expect(res.status).toBe(202);
    const snapshot = async () => ({
      events: (await database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      outbox: await database.db.selectFrom('outbox').select(['id', 'status', 'attempts']).orderBy('id').execute(),
      reminders: (await database.db.selectFrom('reminders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      jobRuns: (await database.db.selectFrom('job_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      head: await database.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow(),
      assignments: await database.db.selectFrom('assignments').select(['id', 'next_reminder_at']).execute(),
    });
    const before = await snapshot();
    expect(before.outbox).toHaveLength(1); // the 交办 notice
    // A month later (no offset: read in Asia/Shanghai): 超期 and 督办 would be sent.
    const r = await cli(['sweep', '--now', later, '--dry-run'], { env, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('预演（未写入任何数据，未发送任何消息');
    expect(r.stdout).toContain(`按 ${later.replace('T', ' ')}:00（Asia/Shanghai）`);
    expect(r.stdout).toMatch(/\[待发\] 邮件 → urban@example\.gov\.cn：【交办】/);
    expect(r.stdout).toMatch(/\[新\] 邮件 → urban-head@example\.gov\.cn.*【督办】/);
    expect(r.stdout).toMatch(/reminder\.sent ×\d/);
    expect(await snapshot()).toEqual(before);
    expect(() => readdirSync(join(dir, 'mail'))).toThrow(); // no mail written either
  });

  it('refuses --send with --dry-run, and changes nothing', async () => {
    const head = await database.db.selectFrom('audit_head').select(['seq']).executeTakeFirstOrThrow();
    const r = await cli(['sweep', '--now', later, '--send', '--dry-run'], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('xiansuo: --send 与 --dry-run 不能同时使用');
    expect((await database.db.selectFrom('audit_head').select(['seq']).executeTakeFirstOrThrow()).seq).toBe(head.seq);
  });

  it('sweep without --now is the real pass: it sends what is due and records it', async () => {
    const r = await cli(['sweep'], { env, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // The 交办 notice, and on a working day after 08:30 the agency's daily digest and the bureau's
    // mail with the record's chain head.
    expect(r.stdout).toMatch(/巡查完成（\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（Asia\/Shanghai））.*投递成功 [123]，待重试 0，放弃 0/);
    const sent = readdirSync(join(dir, 'mail')).filter((f) => f.endsWith('.eml'));
    expect(sent.length).toBeGreaterThanOrEqual(1);
    const shown = await cli(['mail', 'show', '--last', String(sent.length)], { env, cwd: dir });
    expect(shown.stdout).toMatch(/收件人：urban@example\.gov\.cn/);
    expect(shown.stdout).toMatch(/主题：【交办】XS-\d{4}-\d{6} 城管队员强行没收摊贩三轮车/);
    expect(shown.stdout).toMatch(/时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（Asia\/Shanghai）/);
    expect(shown.stdout).toContain('区城市管理和综合执法局');
    const pending = await database.db.selectFrom('outbox').select('status').where('status', '!=', 'sent').execute();
    expect(pending).toEqual([]);
  });

  it('sweep --now a month later is the real pass as if it were then (API.md §1); the same time again sends nothing new', async () => {
    const r = await cli(['sweep', '--now', later], { env, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`注意：按将来的时间 ${later.replace('T', ' ')}:00 执行巡查`);
    expect(r.stdout).toMatch(/巡查完成.*新提醒 [1-9]\d* 条/);
    // The notices of the reminders (超期, 督办) that pass decided, delivered by the same pass.
    const reminders = await database.db.selectFrom('outbox').select(['key', 'status']).where('key', 'like', 'reminder:%').execute();
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((m) => m.status === 'sent')).toBe(true);
    const count = async () => (await database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = Number(await count());
    const again = await cli(['sweep', '--now', later], { env, cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/新提醒 0 条，补记 0 条，每日汇总 0 份；投递成功 0，/);
    expect(Number(await count())).toBe(before);
  });

  it('a bad XIANSUO_CONFIG stops every command on this database, every time, with one line', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ directory: { agencies: [{ code: 'urban', emial: 'x@y.cn' }] } }));
    const commands = [['migrate'], ['sweep'], ['token', 'create', '--role', 'bureau'], ['outbox']];
    const runs = await Promise.all(commands.map((args) => cli(args, { env: { ...env, XIANSUO_CONFIG: bad }, cwd: dir })));
    for (const [i, r] of runs.entries()) {
      const args = commands[i]!;
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toEqual([`xiansuo: 配置错误（XIANSUO_CONFIG ${bad}）：directory.agencies[0]：未知的键 “emial”`]);
    }
  });

  it('stops on SIGTERM, saying so', async () => {
    server.child.kill('SIGTERM');
    expect(await server.stopped).toBe(0);
    expect(server.output()).toMatch(/停止原因：SIGTERM[\s\S]*xiansuo 已停止/);
  });
});

describe('no silent failure at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-ops-start-'));
  const base = cleanEnv({ DATABASE_URL: join(dir, 'x.db'), XIANSUO_JOBS: 'off' });

  it.each([
    [{ DATABASE_URL: 'mysql://root@localhost/xiansuo' }, /DATABASE_URL：不支持 “mysql:” 地址/],
    [{ SMTP_URL: 'http://mail.example.gov.cn' }, /SMTP_URL：不支持 “http:” 地址/],
    [{ SMTP_URL: 'smtp.example.gov.cn' }, /SMTP_URL：不是有效的地址/],
    [{ XIANSUO_SWEEP_CRON: '*/5 * * *' }, /XIANSUO_SWEEP_CRON：不是有效的 cron 表达式/],
    [{ XIANSUO_SWEEP_CRON_OFF_DAYS: '0 25 * * *' }, /XIANSUO_SWEEP_CRON_OFF_DAYS：不是有效的 cron 表达式/],
    [{ XIANSUO_ADMIN_TOKEN: 'short' }, /XIANSUO_ADMIN_TOKEN：至少 16 个字符/],
    [{ PORT: 'http' }, /PORT：应为 0–65535 的整数/],
    [{ XIANSUO_PUBLIC_URL: 'xiansuo.gov.cn' }, /XIANSUO_PUBLIC_URL：应为 http:\/\/ 或 https:\/\/ 地址/],
    [{ XIANSUO_CONFIG: '/nonexistent/config.json' }, /XIANSUO_CONFIG “\/nonexistent\/config\.json”：文件不存在/],
    [{ XIANSUO_ENV_FILE: '/nonexistent/xiansuo.env' }, /XIANSUO_ENV_FILE “\/nonexistent\/xiansuo\.env”：文件不存在/],
  ])('%j: npm start and the CLI exit 1 with one line naming it', async (bad, message) => {
    const runs = await Promise.all([['serve'], ['migrate']].map(async (args) => [args, await cli(args, { env: { ...base, ...bad }, cwd: dir })] as const));
    for (const [args, r] of runs) {
      expect(r.code, args[0]).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, args[0]).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a settings file with a bad line or a misspelt name stops the start, naming the line', async () => {
    writeFileSync(join(dir, 'xiansuo.env'), 'PORT=3000\nSMTP_ULR=smtp://x\n');
    let r = await cli(['serve'], { env: base, cwd: dir });
    expect([r.code, r.stderr.trim()]).toEqual([1, `xiansuo: 配置错误：设置文件 ${join(dir, 'xiansuo.env')} 中的 SMTP_ULR 不是 xiansuo 的变量（拼写错误？）`]);
    writeFileSync(join(dir, 'xiansuo.env'), 'PORT=3000\n\nthis is not a setting\n');
    r = await cli(['migrate'], { env: base, cwd: dir });
    expect([r.code, r.stderr.trim()]).toEqual([1, `xiansuo: 配置错误：设置文件 ${join(dir, 'xiansuo.env')} 第 3 行不是 “名称=值” 的形式：this is not a setting`]);
  });

  it('a routing rule naming an unknown agency stops serve on SQLite with exit 1 (it used to exit 0 silently)', async () => {
    const file = join(dir, 'rule.json');
    writeFileSync(file, JSON.stringify({ routing: { rules: [{ id: 'broken', agency: 'nowhere', match: { keywords: ['x'] } }] } }));
    const r = await cli(['serve'], { env: { ...base, XIANSUO_CONFIG: file }, cwd: mkdtempSync(join(tmpdir(), 'xiansuo-ops-')) });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^xiansuo: 配置错误（XIANSUO_CONFIG .*rule\.json）：routing：.*id "broken".*unknown agency "nowhere"$/);
  });

  it('a port in use is one line naming PORT', async () => {
    const port = await freePort();
    const first = await serve(port, { env: base, cwd: mkdtempSync(join(tmpdir(), 'xiansuo-ops-')) });
    try {
      const r = await cli(['serve'], { env: { ...base, PORT: String(port) }, cwd: mkdtempSync(join(tmpdir(), 'xiansuo-ops-')) });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`xiansuo: 端口 ${port} 已被占用（PORT），请换一个端口或先停止占用它的进程`);
    } finally {
      first.child.kill('SIGINT');
      expect(await first.stopped).toBe(0);
      expect(first.output()).toContain('停止原因：SIGINT');
    }
  });
});

describe('config export and config check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-ops-config-'));
  const env = cleanEnv({ DATABASE_URL: join(dir, 'x.db') });

  it('exports the effective configuration as a file that checks, and counts what a file changes', async () => {
    const changed = join(dir, 'two.json');
    writeFileSync(changed, JSON.stringify({ directory: { agencies: [{ code: 'urban', email: 'cgj@lst.gov.cn' }, { code: 'market', email: 'scj@lst.gov.cn' }] } }));
    const exported = await cli(['config', 'export'], { env: { ...env, XIANSUO_CONFIG: changed }, cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    const file = join(dir, 'exported.json');
    writeFileSync(file, exported.stdout);
    const parsed = JSON.parse(exported.stdout);
    expect(parsed.directory.agencies.find((a: { code: string }) => a.code === 'urban').email).toBe('cgj@lst.gov.cn');
    expect(parsed.routing.rules.length).toBeGreaterThan(50);
    for (const f of [file, changed]) {
      const r = await cli(['config', 'check', f], { env, cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`配置文件有效：${f}`);
      expect(r.stdout).toMatch(/单位 41 个（与内置相比修改 2 个、新增 0 个）/);
      expect(r.stdout).toMatch(/注意：41 个单位和监督科仍使用 example\.gov\.cn 占位邮箱/);
    }
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ deadlines: { normal: { feedback: { workingdays: 10 } } } }));
    const r = await cli(['config', 'check', bad], { env, cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`配置错误（XIANSUO_CONFIG ${bad}）：deadlines`);
  });
});
