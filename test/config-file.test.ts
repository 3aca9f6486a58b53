// XIANSUO_CONFIG: a custom directory (with a group robot), custom routing rules and deadline
// policies; change a rule, restart, and explain and new leads follow it. Bad files stop the start.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_DIRECTORY } from '../src/domain/directory.ts';
import { BUILTIN_RULES_DATA } from '../src/domain/routing/index.ts';
import { deliverOutbox } from '../src/app/deliverOutbox.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'xiansuo-config-'));

function configFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe.each(await dialects())('XIANSUO_CONFIG on %s', (dialect) => {
  let t: TestApp;
  let robot: Server;
  const robotCalls: unknown[] = [];
  beforeAll(async () => {
    robot = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        robotCalls.push(JSON.parse(body));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
      });
    });
    await new Promise<void>((r) => robot.listen(0, '127.0.0.1', () => r()));
    const port = (robot.address() as { port: number }).port;
    const rules = structuredClone(BUILTIN_RULES_DATA) as { rules: unknown[] };
    rules.rules.push({ id: 'bikes', agency: 'transport', priority: 2, weight: 5, label: '共享单车由交通运输局管',
      match: { keywords: ['共享单车'] } });
    const path = configFile('ok.json', {
      directory: {
        ...BUILTIN_DIRECTORY,
        agencies: BUILTIN_DIRECTORY.agencies.map((a) => (a.code === 'transport'
          ? { ...a, email: 'jtj@lst.example.gov.cn', robots: [{ kind: 'wecom', url: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=k` }] }
          : a)),
      },
      routing: rules,
      deadlines: { normal: { acknowledge: { workingDays: 2 }, feedback: { workingDays: 10 } }, urgent: { acknowledge: { hours: 4 }, feedback: { workingDays: 2 } } },
    });
    t = await testApp(dialect, { env: { XIANSUO_CONFIG: path, XIANSUO_AUTO_DISPATCH: 'on' } });
  });
  afterAll(async () => {
    await t.close();
    robot.close();
  });

  it('routes by the changed rule, in explain and for new leads', async () => {
    const bureau = await t.token('bureau');
    const text = { title: '共享单车乱停放', content: '来电人反映步行街共享单车乱停放，城管不管。' };
    const explain = await (await t.post('/api/routing/explain', text, bureau)).json();
    expect(explain.agency).toBe('transport');
    expect(explain.candidates[0].rules).toContain('bikes');
    const { leadId } = await (await t.deliver('hotline', { orderNo: 'GD-BIKES-1', createdAt: '2026-03-02T09:15:00+08:00', ...text })).json();
    const lead = await (await t.get(`/api/leads/${leadId}`, bureau)).json();
    expect(lead.routing.agency).toBe('transport');
    expect(lead.routing.reason).toContain('共享单车由交通运输局管');
    // The file's deadline policy: 签收 in 2 working days, feedback in 10.
    expect(lead.assignments[0]).toMatchObject({ agency: 'transport', ackDueAt: '2026-03-04T15:59:59.000Z', dueAt: '2026-03-16T15:59:59.000Z' });
  });

  it('sends the 交办通知 to the address and the group robot the file names', async () => {
    const r = await deliverOutbox(t.deps, t.clock.now());
    expect(r).toMatchObject({ sent: 2, retried: 0, dead: 0 });
    expect(robotCalls).toHaveLength(1);
    expect(robotCalls[0]).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('交办') } });
    const mail = await t.database.db.selectFrom('outbox').select('message').where('channel', '=', 'mail').executeTakeFirstOrThrow();
    expect(JSON.parse(mail.message).to).toEqual(['jtj@lst.example.gov.cn']);
  });
});

describe('a bad XIANSUO_CONFIG stops the start with one line naming the bad entry', () => {
  const run = async (file: string) => {
    const r = await exec(process.execPath, ['bin/xiansuo.js', 'migrate'], {
      env: { ...process.env as Record<string, string>, XIANSUO_CONFIG: file, DATABASE_URL: join(dir, 'x.db') },
    }).catch((e: { code: number; stderr: string }) => e);
    return r as { code?: number; stderr: string };
  };
  it('names an unknown agency in a rule', async () => {
    const rules = structuredClone(BUILTIN_RULES_DATA) as { rules: unknown[] };
    rules.rules.push({ id: 'broken', agency: 'nowhere', match: { keywords: ['x'] } });
    const { loadConfig } = await import('../src/runtime/config.ts');
    // Refused when the settings are read, before any database is opened.
    expect(() => loadConfig({ XIANSUO_CONFIG: configFile('bad-rule.json', { routing: rules }), DATABASE_URL: ':memory:', PORT: '0', XIANSUO_JOBS: 'off' }))
      .toThrow(/id "broken".*unknown agency "nowhere"/);
  });
  it('names a file that is not JSON, and a bad deadline policy', async () => {
    const notJson = await run(configFile('not.json', '{ nope'));
    expect(notJson.code).not.toBe(0);
    expect(notJson.stderr.trim().split('\n')).toHaveLength(1);
    expect(notJson.stderr).toContain('XIANSUO_CONFIG');
    const { loadConfig } = await import('../src/runtime/config.ts');
    expect(() => loadConfig({ XIANSUO_CONFIG: configFile('bad-policy.json', { deadlines: { normal: { acknowledge: { workingDays: 0 } } } }) }))
      .toThrow(/deadlines\.normal\.acknowledge/);
  });
});
