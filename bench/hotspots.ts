// The hotspot rule's reads at scale (热点提示, on the dashboard and in the daily mail): the same
// year's last 97 days read from a store of that one year (100 000 leads) and from a store of ten
// years (1 000 000). The counts are ranges of leads.created_at from the baseline's start, so the
// two should cost about the same: the cost follows the leads of those 97 days, not all stored.
//
// The stores are generated through the store's public bulk load (src/db/stores/bulkLoad.ts: the
// project's migrations, then large kysely batches; a synthetic history without audit chain);
// every assigned lead has its assignment. BENCH_HOTSPOTS_PER_YEAR (default 100000) scales both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentHotspots } from '../src/app/hotspots.ts';
import { bulkLoad, type SyntheticAssignment, type SyntheticHistory, type SyntheticLead } from '../src/db/stores/bulkLoad.ts';
import { BUILTIN_DIRECTORY } from '../src/domain/directory.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { connect } from '../src/runtime/database.ts';
import { prepareDatabase } from '../src/runtime/services.ts';

const AGENCIES = ['market', 'urban', 'transport', 'traffic-police', 'ecology', 'health', 'emergency', 'housing', 'water', 'forestry'];
const TOWNSHIPS = ['梅湾街道', '菱角山街道', '肖家园街道', '杨家桥街道', '凤凰街道', '伊塘镇', null];
const DOMAINS = ['城市管理', '市场监管', '交通运输', '生态环境', '卫生健康', null];
const STATUSES = ['closed', 'closed', 'closed', 'rectifying', 'assigned', 'triage', 'rejected', 'merged'];
const NOW = new Date('2026-12-31T04:00:00.000Z');

async function buildStore(dir: string, name: string, firstYear: number, years: number, perYear: number) {
  const t0 = performance.now();
  const file = join(dir, `${name}.db`);
  const config = loadConfig({ DATABASE_URL: file, XIANSUO_MAIL_DIR: join(dir, 'mail') });
  const database = connect(file);
  try {
    await prepareDatabase(database, config, { now: () => new Date('2017-01-01T00:00:00Z') });
    const chunk = (year: number, from: number, to: number): SyntheticHistory => {
      const h = { leads: [] as SyntheticLead[], assignments: [] as SyntheticAssignment[] };
      const start = Date.UTC(year, 0, 1) - 8 * 3_600_000;
      const span = Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1);
      for (let i = from; i < to; i++) {
        const id = `XS-${year}-${String(i).padStart(6, '0')}`;
        const at = new Date(start + Math.floor((i / perYear) * span)).toISOString();
        const status = STATUSES[i % STATUSES.length]!;
        const agency = AGENCIES[i % AGENCIES.length]!;
        h.leads.push({
          id, status, title: `第 ${i} 号线索`, content: `市民反映执法问题，编号 ${i}。`, township: TOWNSHIPS[i % TOWNSHIPS.length] ?? null,
          routingAgency: agency, domain: DOMAINS[i % DOMAINS.length] ?? null, channels: ['hotline'], createdAt: at,
        });
        // Every third assigned lead went to another agency than the one proposed.
        if (['closed', 'rectifying', 'assigned'].includes(status)) {
          h.assignments.push({ id: `as_${id}`, leadId: id, agency: i % 3 ? agency : AGENCIES[(i + 1) % AGENCIES.length]!, status: 'acknowledged', assignedAt: at });
        }
      }
      return h;
    };
    for (let y = 0; y < years; y++) for (let i = 0; i < perYear; i += 50_000) await bulkLoad(database.db, chunk(firstYear + y, i, Math.min(perYear, i + 50_000)));
  } finally {
    await database.close();
  }
  return { file, leads: years * perYear, buildMs: performance.now() - t0 };
}

async function timeHotspots(file: string, runs = 7) {
  const database = connect(file);
  const deps = { reader: database.reader, clock: { now: () => NOW }, config: { tz: 'Asia/Shanghai' }, directory: BUILTIN_DIRECTORY };
  const first = await currentHotspots(deps);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await currentHotspots(deps);
    ms.push(performance.now() - t0);
  }
  await database.close();
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, hotspots: first.hotspots.length };
}

export async function benchHotspots(): Promise<string[]> {
  const perYear = Number(process.env.BENCH_HOTSPOTS_PER_YEAR ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-hotspots-'));
  try {
    const small = await buildStore(dir, 'one-year', 2026, 1, perYear);
    const big = await buildStore(dir, 'ten-years', 2017, 10, perYear);
    const a = await timeHotspots(small.file);
    const b = await timeHotspots(big.file);
    return [
      `stores built: ${small.leads} leads in ${(small.buildMs / 1000).toFixed(1)} s, ${big.leads} in ${(big.buildMs / 1000).toFixed(1)} s (SQLite)`,
      `hotspots now (97 days read, ~${Math.round(perYear * 97 / 365)} leads): ${a.median.toFixed(1)} ms over ${small.leads} stored, ${b.median.toFixed(1)} ms over ${big.leads} stored (median of 7)`,
      `ratio ten years / one year: ${(b.median / a.median).toFixed(2)} (10× the store; ~1 means the cost follows the window, not the store); hotspots found on this even data: ${a.hotspots}, ${b.hotspots}`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of await benchHotspots()) console.log(line);
