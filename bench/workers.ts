// The Workers deployment: the bundle `wrangler deploy --dry-run` would upload (target: under 3 MiB
// gzipped), and webhook intake latency under `wrangler dev` (local workerd, local D1), next to the
// latency of /healthz on the same server as the ratio's base.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SECRETS, signedHeaders } from '../test/helpers/sign.ts';
import { freePort } from '../test/helpers/server.ts';
import { samples as hotline } from '../webhooks/hotline.ts';

const WRANGLER = 'node_modules/.bin/wrangler';
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };
const TARGET = 3 * 1024 * 1024;

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, args, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrangler ${args[0]} exited ${code}: ${out.slice(-500)}`))));
  });
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function bundle(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bundle-'));
  try {
    await run(['deploy', '--dry-run', '--outdir', dir]);
    const js = readFileSync(join(dir, 'worker.js'));
    const gz = gzipSync(js, { level: 9 }).length;
    return [`bundle (wrangler deploy --dry-run): ${kib(js.length)}, gzipped ${kib(gz)} — ${(gz / TARGET * 100).toFixed(0)} % of the 3 MiB target`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function devLatency(requests: number): Promise<string[]> {
  const persist = mkdtempSync(join(tmpdir(), 'xiansuo-dev-'));
  const port = await freePort();
  const vars = {
    WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, WEBHOOK_RATE_PER_MINUTE: '1000000', WEBHOOK_RATE_BURST: '100000', XIANSUO_AUTO_DISPATCH: 'off',
  };
  await run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
  const child = spawn(WRANGLER, ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persist,
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error(`wrangler dev did not start: ${log.slice(-800)}`);
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const time = async (f: () => Promise<Response>) => {
      const t = performance.now();
      const res = await f();
      await res.arrayBuffer();
      return { ms: performance.now() - t, status: res.status };
    };
    const health: number[] = [];
    for (let i = 0; i < requests; i++) health.push((await time(() => fetch(`${base}/healthz`))).ms);
    const intake: number[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < requests; i++) {
      const body = JSON.stringify({ ...hotline.valid, orderNo: `BENCH-${Date.now()}-${i}`, content: `${hotline.valid.content}（第 ${i} 件）` });
      const r = await time(() => fetch(`${base}/webhooks/hotline`, { method: 'POST', body, headers: signedHeaders(SECRETS.hotline, `bench-${Date.now()}-${i}`, new Date(), body) }));
      intake.push(r.ms);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    const answers = [...statuses].map(([s, n]) => `${n}× ${s}`).join(', ');
    return [
      `wrangler dev, ${requests} requests one after another: /healthz p50 ${q(health, 0.5).toFixed(1)} ms, p95 ${q(health, 0.95).toFixed(1)} ms`,
      `signed webhook intake: p50 ${q(intake, 0.5).toFixed(1)} ms, p95 ${q(intake, 0.95).toFixed(1)} ms (${(q(intake, 0.5) / q(health, 0.5)).toFixed(1)}× /healthz); answers: ${answers}`
        + (statuses.has(202) ? '' : ' — not 202: intake does not yet commit on D1 (it waits for the plan-then-commit intake)'),
    ];
  } finally {
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => setTimeout(r, 300));
    rmSync(persist, { recursive: true, force: true });
  }
}

export async function benchWorkers(requests = 100): Promise<string[]> {
  return [...await bundle(), ...await devLatency(requests)];
}
