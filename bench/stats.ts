// GET /api/stats at scale: one year's statistics over 1 million stored leads (ten years of 100,000),
// next to the same year in a store of that one year alone (the same work, 10× the store), and a
// month and a quarter of the big store: the cost should grow with the leads in the period, not
// with all that are stored (the period is a range of the covering index of migration 009).
//
// The stores are generated straight into SQLite files (the project's migrations, then bulk inserts
// through better-sqlite3), then the statistics use case is timed as the route runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { statsForPeriod, type StatsDeps } from '../src/app/stats.ts';
import { createCalendarHolder } from '../src/db/stores/calendar.ts';
import { BUILTIN_DIRECTORY } from '../src/domain/directory.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { connect, type Database } from '../src/runtime/database.ts';
import { prepareDatabase } from '../src/runtime/services.ts';

const AGENCIES = ['market', 'urban', 'transport', 'traffic-police', 'ecology', 'health', 'emergency', 'housing', 'water', 'forestry'];
const TOWNSHIPS = ['梅湾街道', '菱角山街道', '肖家园街道', '杨家桥街道', '凤凰街道', '伊塘镇', null];
const DOMAINS = ['城市管理', '市场监管', '交通运输', '生态环境', '卫生健康', null];
const TYPES = ['[]', '["不作为"]', '["乱作为"]', '["简单粗暴"]', '["逐利执法","乱作为"]'];
const STATUSES = ['closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'rectifying', 'assigned', 'triage', 'rejected', 'transferred', 'merged'];
const NOW = '2026-12-31T04:00:00.000Z';

/** `years` × `perYear` leads, evenly through each year from `firstYear`; every assigned one has an assignment. */
async function buildStore(dir: string, name: string, firstYear: number, years: number, perYear: number) {
  const t0 = performance.now();
  const file = join(dir, `${name}.db`);
  const config = loadConfig({ DATABASE_URL: file, XIANSUO_MAIL_DIR: join(dir, 'mail') });
  const database = connect(file);
  await prepareDatabase(database, config, { now: () => new Date('2017-01-01T00:00:00Z') });
  await database.close();
  const sqlite = new SQLite(file);
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const lead = sqlite.prepare(`insert into leads (id, status, merged_into, title, content, priority, township, routing_agency,
    problem_types, domain, channels, report_count, lifecycle, created_at, updated_at)
    values (?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, '{}', ?, ?)`);
  const assignment = sqlite.prepare(`insert into assignments (id, lead_id, agency, role, status, assigned_at, ack_due_at, due_at,
    acknowledged_at, closed_at, detail, calendar_provisional, deadline_version, updated_at)
    values (?, ?, ?, 'primary', ?, ?, ?, ?, ?, ?, ?, 0, 1, ?)`);
  const reminder = sqlite.prepare(`insert into reminders (assignment_id, key, lead_id, stage, due_at, created_at, sent) values (?, ?, ?, 'escalation-1', ?, ?, 1)`);
  const followUp = sqlite.prepare(`insert into follow_ups (id, lead_id, report_id, round, status, satisfied, created_at, done_at) values (?, ?, ?, 1, 'done', ?, ?, ?)`);
  const iso = (ms: number) => new Date(ms).toISOString();
  const DAY = 86_400_000;
  const insert = sqlite.transaction((year: number, from: number, to: number) => {
    const start = Date.UTC(year, 0, 1) - 8 * 3_600_000;
    const span = Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1);
    for (let i = from; i < to; i++) {
      const id = `XS-${year}-${String(i).padStart(6, '0')}`;
      const created = start + Math.floor((i / perYear) * span);
      const status = STATUSES[i % STATUSES.length]!;
      const agency = AGENCIES[i % AGENCIES.length]!;
      const at = iso(created);
      lead.run(id, status, status === 'merged' ? `XS-${year}-000000` : null, `第 ${i} 号线索`, `市民反映执法问题，编号 ${i}。`,
        TOWNSHIPS[i % TOWNSHIPS.length], agency, TYPES[i % TYPES.length], DOMAINS[i % DOMAINS.length],
        i % 9 === 0 ? '["hotline","media"]' : '["hotline"]', i % 9 === 0 ? 2 : 1, at, at);
      if (!['closed', 'rectifying', 'assigned'].includes(status)) continue;
      const ackDue = created + DAY;
      const due = created + 21 * DAY;
      const acked = status === 'assigned' ? null : iso(created + (i % 5 === 0 ? 2 : 0.5) * DAY);
      const fed = status === 'closed' ? created + (10 + (i % 15)) * DAY : null;
      const detail = fed ? JSON.stringify({ feedback: { summary: '已整改到位，涉事人员已批评教育', measures: '加强培训', evidence: [], at: iso(fed) }, ...(i % 17 === 0 ? { returned: { comment: '补充材料', at: iso(fed - DAY), count: 1 } } : {}) }) : '{}';
      assignment.run(`as_${id}`, id, agency, status === 'closed' ? 'closed' : status === 'assigned' ? 'assigned' : 'acknowledged', at,
        iso(ackDue), iso(due), acked, fed ? iso(fed + DAY) : null, detail, at);
      if (i % 23 === 0) reminder.run(`as_${id}`, `v1:feedback:escalation-1`, id, iso(due + 4 * DAY), iso(due + 4 * DAY));
      if (fed && i % 3 === 0) followUp.run(`fu_${id}`, id, `RP-${id}`, i % 6 === 0 ? 0 : 1, iso(fed + 2 * DAY), iso(fed + 2 * DAY));
    }
  });
  for (let y = 0; y < years; y++) for (let i = 0; i < perYear; i += 50_000) insert(firstYear + y, i, Math.min(perYear, i + 50_000));
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  return { file, leads: years * perYear, buildMs: performance.now() - t0 };
}

async function open(file: string): Promise<{ database: Database; deps: StatsDeps }> {
  const database = connect(file);
  const calendar = createCalendarHolder(database.db);
  await calendar.reload();
  return {
    database,
    deps: { reader: database.db, clock: { now: () => new Date(NOW) }, config: { tz: 'Asia/Shanghai' }, calendar, directory: BUILTIN_DIRECTORY },
  };
}

async function timed(deps: StatsDeps, from: string, to: string, runs = 5): Promise<{ ms: number; leads: number }> {
  await statsForPeriod(deps, { from, to }); // warm-up
  const times: number[] = [];
  let leads = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    leads = (await statsForPeriod(deps, { from, to })).leads;
    times.push(performance.now() - t0);
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(runs / 2)]!, leads };
}

export async function benchStats(opts: { perYear?: number } = {}): Promise<string[]> {
  const perYear = opts.perYear ?? Number(process.env.BENCH_STATS_PER_YEAR ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-stats-'));
  const lines: string[] = [];
  const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
  try {
    const small = await buildStore(dir, 'one-year', 2025, 1, perYear);
    const big = await buildStore(dir, 'ten-years', 2017, 10, perYear);
    lines.push(`stores generated: ${small.leads.toLocaleString('en')} leads in ${(small.buildMs / 1000).toFixed(1)} s, ${big.leads.toLocaleString('en')} in ${(big.buildMs / 1000).toFixed(1)} s`);
    const S = await open(small.file);
    const B = await open(big.file);
    const year = await timed(S.deps, '2025-01-01', '2025-12-31');
    const bigYear = await timed(B.deps, '2025-01-01', '2025-12-31');
    const quarter = await timed(B.deps, '2025-01-01', '2025-03-31');
    const month = await timed(B.deps, '2025-01-01', '2025-01-31');
    await S.database.close();
    await B.database.close();
    const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
    lines.push(`A  year 2025 (${year.leads.toLocaleString('en')} counted) in a ${k(small.leads)} store: ${f(year.ms)} ms (median of 5)`);
    lines.push(`B  year 2025 (${bigYear.leads.toLocaleString('en')} counted) in a ${k(big.leads)} store: ${f(bigYear.ms)} ms — target < 1000 ms: ${bigYear.ms < 1000 ? 'met' : 'NOT met'}`);
    lines.push(`B/A, the same year, ${big.leads / small.leads}× the store: ${(bigYear.ms / year.ms).toFixed(2)}× (≈1 if the store does not matter)`);
    lines.push(`Q  first quarter in the ${k(big.leads)} store (${quarter.leads.toLocaleString('en')} counted): ${f(quarter.ms)} ms = ${(quarter.ms / bigYear.ms).toFixed(2)} of the year`);
    lines.push(`M  January in the ${k(big.leads)} store (${month.leads.toLocaleString('en')} counted): ${f(month.ms)} ms = ${(month.ms / bigYear.ms).toFixed(2)} of the year`);
    lines.push('(each includes the routing accuracy of the last 90 days before 2026-12-31, the same fixed work in every run)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1]?.endsWith('bench/stats.ts')) for (const l of await benchStats()) console.log(l);
