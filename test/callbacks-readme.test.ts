// The README's Node.js callback receiver is real code: this suite takes it out of README.md as
// written, runs it as its own process with the official `standardwebhooks` package, points the
// hotline's callbacks at it, and works a 12345 work order from intake to 审核 通过. The receiver
// must close the work order once, with its order number and the approved summary, and refuse a
// forged delivery.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { deliverCallbacks } from '../src/app/deliverCallbacks.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { CALLBACK_SECRETS } from './helpers/callbackReceiver.ts';
import { dialects } from './helpers/dialects.ts';
import { freePort } from './helpers/server.ts';

/** The first ```js block of the README's Callbacks section. */
function readmeReceiver(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('\n## Callbacks\n'));
  const code = /```js\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 5)))?.[1];
  if (!code) throw new Error('README.md: no ```js block in ## Callbacks');
  return code;
}

async function listening(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await new Promise<boolean>((done) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); done(true); });
      s.on('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the README receiver did not start');
}

const SUMMARY = '已核实，涉事队员停职检查，已归还三轮车并赔礼道歉';

describe.each(await dialects())('the README\'s Node.js callback receiver, against the service on %s', (dialect) => {
  let dir: string;
  let child: ChildProcess;
  let out = '';
  let url: string;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xiansuo-readme-receiver-'));
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules')); // so that `standardwebhooks` resolves
    writeFileSync(join(dir, 'receiver.mjs'), readmeReceiver());
    const port = await freePort();
    child = spawn(process.execPath, [join(dir, 'receiver.mjs')], {
      env: { ...process.env, PORT: String(port), XIANSUO_CALLBACK_SECRET: CALLBACK_SECRETS.hotline! },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { out += d; });
    await listening(port);
    url = `http://127.0.0.1:${port}/xiansuo`;
    t = await testApp(dialect, { env: { CALLBACK_URL_HOTLINE: url, CALLBACK_SECRET_HOTLINE: CALLBACK_SECRETS.hotline! } });
  });
  afterAll(async () => {
    await t?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('closes the work order once, with the order number and the approved summary, when the bureau approves', async () => {
    const bureau = await t.token('bureau');
    const urban = await t.token('agency', { agency: 'urban' });
    const res = await t.deliver('hotline', hotline.valid);
    expect(res.status).toBe(202);
    const { leadId } = await res.json();
    const lead = `/api/leads/${leadId}`;
    expect((await t.post(`${lead}/assign`, { agency: 'urban' }, bureau)).status).toBe(200);
    expect((await t.post(`${lead}/acknowledge`, {}, urban)).status).toBe(200);
    expect((await t.post(`${lead}/feedback`, { summary: SUMMARY, measures: '全队开展规范执法培训' }, urban)).status).toBe(200);
    expect((await t.post(`${lead}/review`, { decision: 'approve', comment: '整改到位' }, bureau)).status).toBe(200);

    let sent = 0;
    for (let pass = 0; pass < 5 && sent < 3; pass++) {
      const r = await deliverCallbacks(t.deps, t.clock.now());
      expect(r.dead).toBe(0);
      sent += r.sent;
    }
    expect(sent).toBe(3); // report.accepted, lead.assigned, lead.closed: each answered 2xx by the README's code
    for (let i = 0; i < 50 && !out.includes('close '); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toBe(`close ${hotline.valid.orderNo}: ${SUMMARY}\n`);
  });

  it('refuses a forged delivery (400), and handles a redelivered webhook-id once', async () => {
    const body = JSON.stringify({
      type: 'lead.closed', timestamp: new Date().toISOString(),
      data: { source: 'hotline', externalId: 'GD-README-2', reportId: 'RP-2026-000099', leadId: 'XS-2026-000099', status: 'closed', summary: '已办结', closedAt: new Date().toISOString() },
    });
    const now = new Date();
    const signed = (secret: string) => ({
      'content-type': 'application/json', 'webhook-id': 'msg_readme_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_readme_1', now, body),
    });
    const forged = await fetch(url, { method: 'POST', body, headers: signed(CALLBACK_SECRETS.media!) });
    expect(forged.status).toBe(400);
    for (let i = 0; i < 2; i++) {
      expect((await fetch(url, { method: 'POST', body, headers: signed(CALLBACK_SECRETS.hotline!) })).status).toBe(204);
    }
    for (let i = 0; i < 50 && !out.includes('GD-README-2'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out.split('\n').filter((l) => l.includes('GD-README-2'))).toEqual(['close GD-README-2: 已办结']);
  });
});
