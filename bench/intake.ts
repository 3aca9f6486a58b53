// Webhook intake throughput: signed ~1.5 KB hotline deliveries, 100 connections, into SQLite,
// next to a bare Hono server returning a constant JSON, measured in the same run.
import { createHmac } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/server.ts';

const SECRET = 'whsec_' + Buffer.from('bench-secret-0123456789abcdefgh').toString('base64');
const KEY = Buffer.from(SECRET.slice(6), 'base64');
// Distinct problems, as a real stream is: different estates, roads, problems and wording, so that
// de-duplication does real work and mostly creates leads (identical texts would all merge into one).
const ESTATES = ['金桂', '银杏', '翠竹', '丹枫', '紫荆', '海棠', '玉兰', '青松', '红枫', '白鹭', '锦绣', '阳光', '滨江', '湘水', '潇湘', '零陵', '梅湾', '凤凰', '东风', '南津'];
const KINDS = ['苑', '小区', '花园', '家园', '新城', '山庄', '华庭', '公寓'];
const ROADS = ['湘永路', '零陵北路', '凤凰路', '梅湾路', '珊瑚路', '滨江大道', '河东路', '九嶷路', '潇湘大道', '南津路'];
const PROBLEMS = ['占道经营', '违章搭建', '夜间施工噪音扰民', '渣土车抛洒', '餐馆油烟直排', '乱收停车费', '违规发放传单', '工地扬尘',
  '超载货车通行', '无证经营小作坊', '药店销售过期药品', '出租车拒载', '拖欠农民工工资', '违法占用耕地', '非法捕捞', '网吧接纳未成年人'];
const SENTENCES = ['执法人员多次到场但未有效处理', '附近居民意见很大', '已经持续一个多月', '向社区反映过没有结果', '希望有关部门依法规范执法',
  '执法时态度粗暴不出示证件', '罚款后问题依旧', '存在安全隐患', '影响老人和小孩休息', '请求公开处理结果', '有照片和视频可以提供',
  '之前打过热线但没有回访', '周边商户也受到影响', '晚上十点后尤其严重', '多次协调未果'];

export function payload(i: number): string {
  const pick = <T>(list: T[], n: number) => list[n % list.length]!;
  const estate = `${pick(ESTATES, i)}${pick(KINDS, Math.floor(i / 20))}`;
  const road = pick(ROADS, Math.floor(i / 7));
  const problem = pick(PROBLEMS, Math.floor(i / 3));
  const body = Array.from({ length: 36 }, (_, k) => pick(SENTENCES, i * 7 + k * 3 + Math.floor(i / 11)));
  return JSON.stringify({
    orderNo: `GD-BENCH-${process.pid}-${i}`, createdAt: '2026-03-02T09:15:00+08:00',
    caller: { name: '张先生', phone: `138${String(10_000_000 + i).slice(-8)}` },
    title: `${estate}附近${problem}（${i}）`,
    content: `市民来电反映：${road}${estate}附近${problem}，${body.join('，')}。工单编号 ${i}。`,
    address: `冷水滩区${road}${estate}`,
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

/**
 * A server in a child process. BENCH_CPU_PROF=DIR writes a V8 CPU profile of each server into DIR
 * (open it in Chrome's DevTools); BENCH_STDERR=1 shows the servers' standard error (and BENCH_STDOUT=1
 * their standard output too); BENCH_NODE_FLAGS="--trace-gc …" starts them with these flags; BENCH_THREADS=1
 * prints the CPU of each of their threads per request.
 */
export interface BenchServer {
  base: string;
  /** CPU time the server process has used so far (all its threads), ms; NaN where /proc is missing. */
  cpuMs(): number;
  /** The same by thread id (the request thread's id is the process id). */
  threadCpuMs(): Map<number, number>;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** utime + stime from a /proc stat file (clock ticks of 10 ms). */
function statCpuMs(file: string): number {
  try {
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of each thread of a process so far, ms, by thread id (empty where /proc is missing). */
function threadCpuMs(pid: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), statCpuMs(`/proc/${pid}/task/${tid}/stat`));
  } catch { /* gone, or no /proc */ }
  return out;
}

export async function startProcess(args: string[], env: Record<string, string>, cwd?: string): Promise<BenchServer> {
  const port = await freePort();
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, ...prof, ...args], {
    cwd, env: { ...process.env, ...env, PORT: String(port) },
    stdio: process.env.BENCH_STDERR ? ['ignore', process.env.BENCH_STDOUT ? 'inherit' : 'ignore', 'inherit'] : 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(`${base}/healthz`, child);
  return {
    base,
    cpuMs: () => statCpuMs(`/proc/${child.pid}/stat`),
    threadCpuMs: () => threadCpuMs(child.pid),
    pid: child.pid,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/**
 * BENCH_THREADS=1: CPU per answered request of each server thread that used any (the request
 * thread is the process id; worker threads, V8's collector threads and libuv's pool are the
 * others, told apart by their share), and of the load generator, on standard error.
 */
function printThreads(server: BenchServer, before: Map<number, number>, self: NodeJS.CpuUsage, requests: number): void {
  const per = (ms: number) => (ms / Math.max(1, requests)).toFixed(3);
  const used = [...server.threadCpuMs()].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const)
    .filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
  const shown = used.map(([tid, ms]) => `${tid === server.pid ? 'request' : tid} ${per(ms)}`).join(', ');
  console.error(`  ms CPU per request by thread: ${shown}; load generator ${per((self.user + self.system) / 1000)}`);
}

/** `connections` connections for `seconds`, request i made by `request(offset + i)`. */
export async function load(
  server: BenchServer, seconds: number, opts: { connections?: number; offset?: number; request?: (i: number) => ReturnType<typeof signedRequest> } = {},
) {
  let i = opts.offset ?? 0;
  const request = opts.request ?? signedRequest;
  const cpuBefore = server.cpuMs();
  const threadsBefore = server.threadCpuMs();
  const selfBefore = process.cpuUsage();
  const result = await autocannon({
    url: server.base, connections: opts.connections ?? 100, duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, ...request(i++) }) }],
  });
  if (process.env.BENCH_THREADS) printThreads(server, threadsBefore, process.cpuUsage(selfBefore), result.requests.total);
  return {
    rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50,
    non2xx: result.non2xx, errors: result.errors, total: result.requests.total,
    /** Server CPU (all threads) per answered request, ms. */
    cpu: (server.cpuMs() - cpuBefore) / Math.max(1, result.requests.total),
  };
}

export async function benchIntake(seconds = 10): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-'));
  const lines: string[] = [];
  try {
    const bare = await startProcess(['--import', 'tsx', 'bench/bare-server.ts'], {});
    await load(bare, 2);
    const b = await load(bare, seconds);
    await bare.stop();

    // The least any durable intake must do (floor-server.ts), for scale.
    const floorDb = join(dir, 'floor.db');
    const floor = await startProcess(['--import', 'tsx', 'bench/floor-server.ts'], { DATABASE_URL: floorDb, WEBHOOK_SECRET_HOTLINE: SECRET });
    await load(floor, 2, { offset: 3_000_000 });
    const f = await load(floor, seconds, { offset: 4_000_000 });
    await floor.stop();

    const env = {
      DATABASE_URL: join(dir, 'bench.db'), WEBHOOK_SECRET_HOTLINE: SECRET, XIANSUO_JOBS: 'off',
      WEBHOOK_RATE_PER_MINUTE: '100000000', WEBHOOK_RATE_BURST: '10000000',
    };
    const svc = await startProcess(['bin/xiansuo.js', 'serve'], env);
    await load(svc, 2, { offset: 1_000_000 });
    const x = await load(svc, seconds, { offset: 2_000_000 });
    await svc.stop();

    const cpu = (r: { cpu: number }) => `server CPU ${r.cpu.toFixed(2)} ms/request`;
    lines.push(`bare hono (constant JSON): ${b.rps.toFixed(0)} req/s, p50 ${b.p50} ms, p99 ${b.p99} ms, ${cpu(b)}`);
    lines.push(`floor (verify, parse, one group-committed durable INSERT of the raw body): ${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, ` +
      `${(f.rps / b.rps).toFixed(2)} of bare, ${cpu(f)}`);
    lines.push(`intake (signed hotline ~1.5 KB → SQLite): ${x.rps.toFixed(0)} req/s, p50 ${x.p50} ms, p99 ${x.p99} ms, non-2xx ${x.non2xx}, errors ${x.errors}, ${cpu(x)}`);
    lines.push(`intake/bare throughput ratio: ${(x.rps / b.rps).toFixed(2)} (target ≥ 0.30); intake p99 ${x.p99} ms (target < 50 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/**
 * BENCH_INTAKE_BASELINE=<git ref>: the same intake load against the service as it was at that
 * commit (a detached worktree sharing this node_modules) and as it is now, in alternating pairs
 * (BENCH_INTAKE_PAIRS, default 3), so that both see the same machine. Prints each pair and the
 * median new/old ratio; the spread of the old runs is the noise to judge the ratio by.
 */
export async function benchIntakeBaseline(ref: string, seconds = 10): Promise<string[]> {
  const pairs = Number(process.env.BENCH_INTAKE_PAIRS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-old-'));
  const tree = join(dir, 'tree');
  const git = (...args: string[]) => execFileSync('git', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  const lines: string[] = [];
  try {
    const sha = git('rev-parse', '--short', ref);
    git('worktree', 'add', '--detach', tree, ref);
    symlinkSync(join(process.cwd(), 'node_modules'), join(tree, 'node_modules'));
    const env = (db: string) => ({
      DATABASE_URL: join(dir, db), WEBHOOK_SECRET_HOTLINE: SECRET, XIANSUO_JOBS: 'off',
      WEBHOOK_RATE_PER_MINUTE: '100000000', WEBHOOK_RATE_BURST: '10000000',
    });
    const run = async (name: string, cwd: string | undefined, offset: number) => {
      const svc = await startProcess(['bin/xiansuo.js', 'serve'], env(`${name}-${offset}.db`), cwd);
      try {
        await load(svc, Number(process.env.BENCH_WARMUP_SECONDS ?? 5), { offset });
        return await load(svc, seconds, { offset: offset + 500_000 });
      } finally {
        await svc.stop();
      }
    };
    const olds: number[] = [];
    const news: number[] = [];
    for (let k = 0; k < pairs; k++) {
      // Alternate which goes first, so a drift of the machine's load does not favour one side.
      const first = k % 2 === 0 ? 'old' : 'new';
      const a = await run(first, first === 'old' ? tree : undefined, 10_000_000 * (2 * k + 1));
      const second = first === 'old' ? 'new' : 'old';
      const b = await run(second, second === 'old' ? tree : undefined, 10_000_000 * (2 * k + 2));
      const [o, n] = first === 'old' ? [a, b] : [b, a];
      olds.push(o.rps);
      news.push(n.rps);
      lines.push(`pair ${k + 1}: old ${sha} ${o.rps.toFixed(0)} req/s (p99 ${o.p99} ms, ${o.cpu.toFixed(2)} ms CPU/req, non-2xx ${o.non2xx}), ` +
        `new ${n.rps.toFixed(0)} req/s (p99 ${n.p99} ms, ${n.cpu.toFixed(2)} ms CPU/req, non-2xx ${n.non2xx})`);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ratios = olds.map((o, k) => news[k]! / Math.max(1, o));
    const spread = (Math.max(...olds) - Math.min(...olds)) / Math.max(1, median(olds));
    lines.push(`intake new/old throughput: median ratio ${median(ratios).toFixed(2)} (pairs ${ratios.map((r) => r.toFixed(2)).join(', ')}); ` +
      `old runs spread ${(spread * 100).toFixed(0)}% of their median (the noise)`);
  } finally {
    try { git('worktree', 'remove', '--force', tree); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
