// Webhook intake throughput: signed ~1.5 KB hotline deliveries, 100 connections, into SQLite,
// next to a bare Hono server returning a constant JSON, measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/server.ts';

const SECRET = 'whsec_' + Buffer.from('bench-secret-0123456789abcdefgh').toString('base64');
const KEY = Buffer.from(SECRET.slice(6), 'base64');
const FILLER = '市民来电反映该路段占道经营问题长期存在，执法人员多次到场但未有效处理，希望有关部门依法规范执法并公开处理结果。';

export function payload(i: number): string {
  return JSON.stringify({
    orderNo: `GD-BENCH-${process.pid}-${i}`, createdAt: '2026-03-02T09:15:00+08:00',
    caller: { name: '张先生', phone: '13800000000' },
    title: `第 ${i} 号工单：城管执法人员暴力没收摊贩三轮车`,
    content: `${FILLER.repeat(9)}编号 ${i}。`, address: '冷水滩区梅湾街道菱角塘市场', township: '梅湾街道', subject: '城管',
  });
}

export function signedRequest(i: number) {
  const body = payload(i);
  const id = `msg_bench_${process.pid}_${i}`;
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', KEY).update(`${id}.${ts}.${body}`).digest('base64');
  return {
    method: 'POST' as const, path: '/webhooks/hotline', body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` },
  };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      await fetch(url);
      return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url}`);
}

export async function startProcess(args: string[], env: Record<string, string>): Promise<{ base: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(`${base}/healthz`, child);
  return {
    base,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export async function load(base: string, seconds: number, connections = 100, offset = 0) {
  let i = offset;
  const result = await autocannon({
    url: base, connections, duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, ...signedRequest(i++) }) }],
  });
  return {
    rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50,
    non2xx: result.non2xx, errors: result.errors, total: result.requests.total,
  };
}

export async function benchIntake(seconds = 10): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-'));
  const lines: string[] = [];
  try {
    const bare = await startProcess(['--import', 'tsx', 'bench/bare-server.ts'], {});
    await load(bare.base, 2);
    const b = await load(bare.base, seconds);
    await bare.stop();

    const env = {
      DATABASE_URL: join(dir, 'bench.db'), WEBHOOK_SECRET_HOTLINE: SECRET, XIANSUO_JOBS: 'off',
      WEBHOOK_RATE_PER_MINUTE: '100000000', WEBHOOK_RATE_BURST: '10000000',
    };
    const svc = await startProcess(['bin/xiansuo.js', 'serve'], env);
    await load(svc.base, 2, 100, 1_000_000);
    const x = await load(svc.base, seconds, 100, 2_000_000);
    await svc.stop();

    lines.push(`bare hono (constant JSON): ${b.rps.toFixed(0)} req/s, p50 ${b.p50} ms, p99 ${b.p99} ms`);
    lines.push(`intake (signed hotline ~1.5 KB → SQLite): ${x.rps.toFixed(0)} req/s, p50 ${x.p50} ms, p99 ${x.p99} ms, non-2xx ${x.non2xx}, errors ${x.errors}`);
    lines.push(`intake/bare throughput ratio: ${(x.rps / b.rps).toFixed(2)} (target ≥ 0.30); intake p99 ${x.p99} ms (target < 50 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
