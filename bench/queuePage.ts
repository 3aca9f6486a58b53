// The bureau's queue page (GET /leads, with and without filters) over 100 000 stored leads, timed
// through the whole app (session check, queries, server-side rendering) with app.request(), next
// to the same pages over 1 000 leads. Target: under 150 ms per page at 100 000.
//
// The stores are generated through the store's public bulk load (src/db/stores/bulkLoad.ts: the
// project's migrations, then large kysely batches; a synthetic history without audit chain): a
// year of leads, every status, 18 townships, three channels, an assignment for every lead that was
// assigned (a tenth of the open ones overdue), one report each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/http/app.ts';
import {
  analyzeLoaded, bulkLoad, type SyntheticAssignment, type SyntheticHistory, type SyntheticLead, type SyntheticReport,
} from '../src/db/stores/bulkLoad.ts';
import { createSession } from '../src/db/stores/sessions.ts';
import { createToken } from '../src/db/stores/tokens.ts';
import { TOWNSHIPS } from '../src/domain/directory.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { connect } from '../src/runtime/database.ts';
import { silentLogger } from '../src/runtime/log.ts';
import { buildDeps, prepareDatabase } from '../src/runtime/services.ts';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const STATUSES = ['triage', 'assigned', 'rectifying', 'rectifying', 'rectifying', 'feedback', 'closed', 'closed', 'closed', 'rejected'];
const CHANNELS = ['hotline', 'hotline', 'media', 'supervisor'];
const AGENCIES = ['market', 'urban', 'transport', 'traffic-police', 'ecology', 'health', 'housing', 'natural-resources'];
const TYPES = ['简单粗暴执法', '逐利执法', '不作为', '乱作为', '涉企检查过多'];

async function buildStore(dir: string, name: string, n: number): Promise<{ file: string; buildMs: number }> {
  const t0 = performance.now();
  const file = join(dir, `${name}.db`);
  const config = loadConfig({ DATABASE_URL: file, XIANSUO_MAIL_DIR: join(dir, 'mail'), XIANSUO_AUTO_DISPATCH: 'off', XIANSUO_DEDUPE_THREAD: 'off' });
  const database = connect(file);
  try {
    await prepareDatabase(database, config, { now: () => NOW });
    const span = 365 * 86_400_000;
    const chunk = (from: number, to: number): SyntheticHistory => {
      const h = { leads: [] as SyntheticLead[], reports: [] as SyntheticReport[], assignments: [] as SyntheticAssignment[] };
      for (let i = from; i < to; i++) {
        const id = `XS-2026-${String(i).padStart(6, '0')}`;
        const created = new Date(NOW.getTime() - span + Math.floor((i * span) / n)).toISOString();
        const status = STATUSES[i % STATUSES.length]!;
        const township = TOWNSHIPS[i % TOWNSHIPS.length]![1];
        const agency = AGENCIES[i % AGENCIES.length]!;
        const channel = CHANNELS[i % CHANNELS.length]!;
        const title = `第 ${i} 号：${township}摊贩三轮车被暂扣未开清单`;
        const content = `市民反映${township}执法人员暂扣三轮车未开具清单，态度粗暴，编号 ${i}。`;
        h.leads.push({
          id, status, title, content, priority: i % 17 === 0 ? 'urgent' : 'normal', address: `${township} ${i % 500} 号`, township,
          subject: '城管', category: '城市管理', routingAgency: agency, problemTypes: [TYPES[i % TYPES.length]!], channels: [channel], createdAt: created,
        });
        h.reports.push({ id: `RP-${i}`, leadId: id, source: channel, externalId: `ext-${i}`, receivedAt: created, title, content });
        if (status === 'triage' || status === 'rejected') continue;
        const open = status === 'assigned' || status === 'rectifying';
        // A tenth of the open ones overdue; the rest due in the coming weeks.
        const due = open && i % 10 < 1 ? new Date(NOW.getTime() - 86_400_000).toISOString() : new Date(NOW.getTime() + (i % 30) * 86_400_000).toISOString();
        h.assignments.push({
          id: `as_${i}`, leadId: id, agency, status: status === 'assigned' ? 'assigned' : status === 'rectifying' ? 'acknowledged' : status === 'feedback' ? 'feedback' : 'closed',
          assignedAt: created, ackDueAt: due, dueAt: due, ackBasis: 'workingDays', dueBasis: 'workingDays',
        });
      }
      return h;
    };
    for (let i = 0; i < n; i += 20_000) await bulkLoad(database.db, chunk(i, Math.min(n, i + 20_000)));
    await analyzeLoaded(database.db);
  } finally {
    await database.close();
  }
  return { file, buildMs: performance.now() - t0 };
}

async function openApp(file: string, dir: string) {
  const config = loadConfig({ DATABASE_URL: file, XIANSUO_MAIL_DIR: join(dir, 'mail'), XIANSUO_AUTO_DISPATCH: 'off', XIANSUO_DEDUPE_THREAD: 'off' });
  const database = connect(file);
  const clock = { now: () => NOW };
  const deps = await buildDeps(database, config, clock, silentLogger);
  const app = createApp(deps);
  const { id } = await createToken(database.db, { role: 'bureau' }, NOW.toISOString(), 'bench');
  const session = await createSession(database.db, { tokenId: id, role: 'bureau' }, {
    now: NOW.toISOString(), expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
  });
  return {
    async time(path: string, runs = 9): Promise<{ ms: number; bytes: number }> {
      const once = async () => {
        const t0 = performance.now();
        const res = await app.request(path, { headers: { cookie: `xs_session=${session.id}` } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        return { ms: performance.now() - t0, bytes: body.length };
      };
      await once();
      await once();
      const all = [];
      for (let i = 0; i < runs; i++) all.push(await once());
      all.sort((a, b) => a.ms - b.ms);
      return all[Math.floor(all.length / 2)]!;
    },
    close: async () => { await deps.close?.(); await database.close(); },
  };
}

export async function benchQueuePage(opts: { stored?: number; small?: number } = {}): Promise<string[]> {
  const big = opts.stored ?? Number(process.env.BENCH_QUEUE_LEADS ?? 100_000);
  const small = opts.small ?? 1_000;
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-queue-'));
  const lines: string[] = [];
  try {
    const s = await buildStore(dir, 'small', small);
    const b = await buildStore(dir, 'big', big);
    lines.push(`stores generated: ${small.toLocaleString('en')} leads in ${s.buildMs.toFixed(0)} ms, ${big.toLocaleString('en')} in ${(b.buildMs / 1000).toFixed(1)} s`);
    const S = await openApp(s.file, dir);
    const B = await openApp(b.file, dir);
    const pages: [string, string][] = [
      ['queue, page 1, no filter', '/leads'],
      ['queue, 待研判', '/leads?status=triage'],
      ['queue, township 梅湾街道', `/leads?township=${encodeURIComponent('梅湾街道')}`],
      ['queue, channel media', '/leads?channel=media'],
      ['queue, problem type 逐利执法', `/leads?type=${encodeURIComponent('逐利执法')}`],
      ['queue, 已超期', '/leads?overdue=true'],
      ['queue, 即将到期', '/leads?due=soon'],
      ['queue, 延期申请', '/leads?extension=pending'],
      ['queue, date range (one month)', '/leads?from=2025-12-01&to=2025-12-31'],
      ['queue, page 200', '/leads?page=200'],
      ['queue, search for a rare phrase (LIKE over titles and contents)', `/leads?q=${encodeURIComponent('第 4242 号')}`],
      ['dashboard (five counts)', '/'],
    ];
    let worst = 0;
    for (const [label, path] of pages) {
      const a = await S.time(path);
      const c = await B.time(path);
      worst = Math.max(worst, c.ms);
      lines.push(`${label}: ${c.ms.toFixed(1)} ms at ${big / 1000}k (${(c.ms / 150).toFixed(2)} of the 150 ms target), ` +
        `${a.ms.toFixed(1)} ms at ${small / 1000}k: ${(c.ms / a.ms).toFixed(1)}× for ${big / small}× the leads; ${(c.bytes / 1024).toFixed(0)} KiB of HTML`);
    }
    lines.push(`slowest page at ${big / 1000}k: ${worst.toFixed(1)} ms — target < 150 ms ${worst < 150 ? 'met' : 'NOT met'}`);
    await S.close();
    await B.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
