// GET /api/stats at scale, on SQLite and on PostgreSQL: one year's statistics over 1 million stored
// leads (ten years of 100,000), next to the same year in a store of that one year alone (the same
// work, 10× the store), and a month and a quarter of the big store: the cost should grow with the
// leads in the period, not with all that are stored. The period's leads are a range of the covering
// index of migration 009; their assignments are added up in SQL (src/db/stores/stats.ts).
//
// The stores are generated (the project's migrations, then one generator's rows through the store's
// public bulk load, src/db/stores/bulkLoad.ts, a synthetic history without audit chain: into a
// SQLite file, and into a PostgreSQL schema of its own that is dropped afterwards), then the
// statistics use case is timed as the route runs it. Each figure is the median of 5 runs after a
// warm-up; "cpu" is this process's CPU time in the run (SQLite works in it; PostgreSQL in its server, whose CPU is read from /proc for the connection when it is local).
// BENCH_STATS_PER_YEAR (default 100000) scales it; BENCH_STATS_DIALECTS=sqlite,postgres (default both);
// BENCH_POSTGRES_URL (default TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { statsForPeriod, type StatsDeps } from '../src/app/stats.ts';
import {
  analyzeLoaded, bulkLoad, type SyntheticAssignment, type SyntheticFollowUp, type SyntheticHistory, type SyntheticLead, type SyntheticReminder,
} from '../src/db/stores/bulkLoad.ts';
import { createCalendarHolder } from '../src/db/stores/calendar.ts';
import { BUILTIN_DIRECTORY } from '../src/domain/directory.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { connect, type Database } from '../src/runtime/database.ts';
import { prepareDatabase } from '../src/runtime/services.ts';

const AGENCIES = ['market', 'urban', 'transport', 'traffic-police', 'ecology', 'health', 'emergency', 'housing', 'water', 'forestry'];
const TOWNSHIPS = ['梅湾街道', '菱角山街道', '肖家园街道', '杨家桥街道', '凤凰街道', '伊塘镇', null];
const DOMAINS = ['城市管理', '市场监管', '交通运输', '生态环境', '卫生健康', null];
const TYPES = [[], ['不作为'], ['乱作为'], ['简单粗暴'], ['逐利执法', '乱作为']];
const STATUSES = ['closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'rectifying', 'assigned', 'triage', 'rejected', 'transferred', 'merged'];
const NOW = '2026-12-31T04:00:00.000Z';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Leads [from, to) of `year` (`perYear` evenly through it); every assigned one has an assignment. */
function batch(year: number, from: number, to: number, perYear: number): SyntheticHistory {
  const b = { leads: [] as SyntheticLead[], assignments: [] as SyntheticAssignment[], reminders: [] as SyntheticReminder[], followUps: [] as SyntheticFollowUp[] };
  const start = Date.UTC(year, 0, 1) - 8 * 3_600_000;
  const span = Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1);
  for (let i = from; i < to; i++) {
    const id = `XS-${year}-${String(i).padStart(6, '0')}`;
    const created = start + Math.floor((i / perYear) * span);
    const status = STATUSES[i % STATUSES.length]!;
    const agency = AGENCIES[i % AGENCIES.length]!;
    const at = iso(created);
    b.leads.push({
      id, status, mergedInto: status === 'merged' ? `XS-${year}-000000` : null, title: `第 ${i} 号线索`, content: `市民反映执法问题，编号 ${i}。`,
      township: TOWNSHIPS[i % TOWNSHIPS.length] ?? null, routingAgency: agency, problemTypes: TYPES[i % TYPES.length]!,
      domain: DOMAINS[i % DOMAINS.length] ?? null, channels: i % 9 === 0 ? ['hotline', 'media'] : ['hotline'], reportCount: i % 9 === 0 ? 2 : 1,
      createdAt: at,
    });
    if (!['closed', 'rectifying', 'assigned'].includes(status)) continue;
    const due = created + 21 * DAY;
    const acked = status === 'assigned' ? null : iso(created + (i % 5 === 0 ? 2 : 0.5) * DAY);
    const fed = status === 'closed' ? created + (10 + (i % 15)) * DAY : null;
    const detail = fed ? { feedback: { summary: '已整改到位，涉事人员已批评教育', measures: '加强培训', evidence: [], at: iso(fed) }, ...(i % 17 === 0 ? { returned: { comment: '补充材料', at: iso(fed - DAY), count: 1 } } : {}) } : {};
    b.assignments.push({
      id: `as_${id}`, leadId: id, agency, status: status === 'closed' ? 'closed' : status === 'assigned' ? 'assigned' : 'acknowledged', assignedAt: at,
      ackDueAt: iso(created + DAY), dueAt: iso(due), acknowledgedAt: acked, closedAt: fed ? iso(fed + DAY) : null, detail,
    });
    if (i % 23 === 0) b.reminders.push({ assignmentId: `as_${id}`, key: 'v1:feedback:escalation-1', leadId: id, stage: 'escalation-1', dueAt: iso(due + 4 * DAY), createdAt: iso(due + 4 * DAY), sent: true });
    if (fed && i % 3 === 0) b.followUps.push({ id: `fu_${id}`, leadId: id, reportId: `RP-${id}`, round: 1, status: 'done', satisfied: i % 6 !== 0, createdAt: iso(fed + 2 * DAY), doneAt: iso(fed + 2 * DAY) });
  }
  return b;
}

function* batches(firstYear: number, years: number, perYear: number): Generator<SyntheticHistory> {
  for (let y = 0; y < years; y++) for (let i = 0; i < perYear; i += 10_000) yield batch(firstYear + y, i, Math.min(perYear, i + 10_000), perYear);
}

interface Store { label: string; leads: number; buildMs: number; open(): Promise<Timed>; drop(): Promise<void> }
interface Timed { deps: StatsDeps; serverCpuMs?: () => Promise<number | undefined>; close(): Promise<void> }

function depsOf(database: Database): StatsDeps & { calendar: ReturnType<typeof createCalendarHolder> } {
  return {
    reader: database.reader, clock: { now: () => new Date(NOW) }, config: { tz: 'Asia/Shanghai' },
    calendar: createCalendarHolder(database.reader), directory: BUILTIN_DIRECTORY,
  };
}

export async function sqliteStore(dir: string, name: string, firstYear: number, years: number, perYear: number): Promise<Store> {
  const t0 = performance.now();
  const file = join(dir, `${name}.db`);
  const database = connect(file);
  try {
    await prepareDatabase(database, loadConfig({ DATABASE_URL: file, XIANSUO_MAIL_DIR: join(dir, 'mail') }), { now: () => new Date('2017-01-01T00:00:00Z') });
    for (const b of batches(firstYear, years, perYear)) await bulkLoad(database.db, b);
  } finally {
    await database.close();
  }
  return {
    label: 'SQLite', leads: years * perYear, buildMs: performance.now() - t0,
    open: async () => {
      const db = connect(file);
      const deps = depsOf(db);
      await deps.calendar.reload();
      return { deps, close: () => db.close() };
    },
    drop: async () => rmSync(file, { force: true }),
  };
}

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try { return await f(c); } finally { await c.end(); }
}

/** A PostgreSQL schema of its own, filled by unnest() batches of the same rows; dropped by drop(). */
export async function postgresStore(name: string, firstYear: number, years: number, perYear: number): Promise<Store> {
  const t0 = performance.now();
  const schema = `bench_stats_${name.replace(/\W/g, '_')}_${process.pid}`;
  await admin((c) => c.query(`drop schema if exists ${schema} cascade; create schema ${schema}`));
  const database = connect(POSTGRES_URL, { pgSchema: schema, poolSize: 4 });
  try {
    await prepareDatabase(database, loadConfig({ DATABASE_URL: POSTGRES_URL, XIANSUO_MAIL_DIR: join(tmpdir(), 'xiansuo-bench-mail') }), { now: () => new Date('2017-01-01T00:00:00Z') });
    for (const b of batches(firstYear, years, perYear)) await bulkLoad(database.db, b);
    await analyzeLoaded(database.db);
  } finally {
    await database.close();
  }
  return {
    label: 'PostgreSQL', leads: years * perYear, buildMs: performance.now() - t0,
    open: async () => {
      const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}application_name=${schema}`;
      const db = connect(url, { pgSchema: schema, poolSize: 10 });
      const deps = depsOf(db);
      await deps.calendar.reload();
      // the server's CPU for every backend of this pool (the statistics run queries side by side)
      const serverCpuMs = async () => {
        const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${schema}`.execute(db.reader);
        let ticks = 0;
        for (const { pid } of pids.rows) {
          try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); ticks += Number(f[11]) + Number(f[12]); } catch { return undefined; }
        }
        return (ticks * 1000) / 100;
      };
      return { deps, serverCpuMs, close: () => db.close() };
    },
    drop: () => admin((c) => c.query(`drop schema if exists ${schema} cascade`)).then(() => undefined),
  };
}

interface Timing { ms: number; cpuMs: number; serverCpuMs?: number; leads: number }

export async function timed(t: Timed, from: string, to: string, runs = 5): Promise<Timing> {
  await statsForPeriod(t.deps, { from, to }); // warm-up
  const samples: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const server0 = await t.serverCpuMs?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const leads = (await statsForPeriod(t.deps, { from, to })).leads;
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const server1 = await t.serverCpuMs?.();
    samples.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, leads, ...(server0 !== undefined && server1 !== undefined ? { serverCpuMs: server1 - server0 } : {}) });
  }
  const median = (k: 'ms' | 'cpuMs' | 'serverCpuMs') => samples.map((s) => s[k] ?? 0).sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  return { ms: median('ms'), cpuMs: median('cpuMs'), ...(samples[0]!.serverCpuMs !== undefined ? { serverCpuMs: median('serverCpuMs') } : {}), leads: samples[0]!.leads };
}

const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
const cpuOf = (t: Timing) => `cpu ${f(t.cpuMs)} ms here${t.serverCpuMs !== undefined ? ` + ${f(t.serverCpuMs)} ms in the server` : ''}`;

async function benchOne(make: (name: string, firstYear: number, years: number) => Promise<Store>): Promise<string[]> {
  const lines: string[] = [];
  const small = await make('one-year', 2025, 1);
  let big: Store | undefined;
  try {
    big = await make('ten-years', 2017, 10);
    const label = small.label;
    lines.push(`${label}: stores generated: ${small.leads.toLocaleString('en')} leads in ${(small.buildMs / 1000).toFixed(1)} s, ${big.leads.toLocaleString('en')} in ${(big.buildMs / 1000).toFixed(1)} s`);
    const S = await small.open();
    const year = await timed(S, '2025-01-01', '2025-12-31');
    await S.close();
    const B = await big.open();
    const bigYear = await timed(B, '2025-01-01', '2025-12-31');
    const quarter = await timed(B, '2025-01-01', '2025-03-31');
    const month = await timed(B, '2025-01-01', '2025-01-31');
    await B.close();
    lines.push(`${label} A  year 2025 (${year.leads.toLocaleString('en')} counted) in a ${k(small.leads)} store: ${f(year.ms)} ms (${cpuOf(year)})`);
    lines.push(`${label} B  year 2025 (${bigYear.leads.toLocaleString('en')} counted) in a ${k(big.leads)} store: ${f(bigYear.ms)} ms (${cpuOf(bigYear)}) — target < 1000 ms: ${bigYear.ms < 1000 ? 'met' : 'NOT met'}`);
    lines.push(`${label} B/A, the same year, ${big.leads / small.leads}× the store: ${(bigYear.ms / year.ms).toFixed(2)}× (≈1 if the store does not matter)`);
    lines.push(`${label} Q  first quarter in the ${k(big.leads)} store (${quarter.leads.toLocaleString('en')} counted): ${f(quarter.ms)} ms = ${(quarter.ms / bigYear.ms).toFixed(2)} of the year`);
    lines.push(`${label} M  January in the ${k(big.leads)} store (${month.leads.toLocaleString('en')} counted): ${f(month.ms)} ms = ${(month.ms / bigYear.ms).toFixed(2)} of the year`);
  } finally {
    await small.drop();
    await big?.drop();
  }
  return lines;
}

export async function benchStats(opts: { perYear?: number } = {}): Promise<string[]> {
  const perYear = opts.perYear ?? Number(process.env.BENCH_STATS_PER_YEAR ?? 100_000);
  const dialects = (process.env.BENCH_STATS_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  const lines: string[] = [];
  if (dialects.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-stats-'));
    try {
      lines.push(...await benchOne((name, first, years) => sqliteStore(dir, name, first, years, perYear)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (dialects.includes('postgres')) {
    const reason = await admin((c) => c.query('select 1')).then(() => null, (err: Error) => err.message);
    if (reason) lines.push(`PostgreSQL SKIPPED: ${POSTGRES_URL} unreachable: ${reason}`);
    else lines.push(...await benchOne((name, first, years) => postgresStore(name, first, years, perYear)));
  }
  lines.push('(each includes the routing accuracy of the last 90 days before 2026-12-31, the same fixed work in every run)');
  return lines;
}

if (process.argv[1]?.endsWith('bench/stats.ts')) for (const l of await benchStats()) console.log(l);
