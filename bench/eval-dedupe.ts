// npm run eval:dedupe — de-duplication through the REAL intake path, measured against the hand labels.
// All 4,326 TipDM messages go, in posting order, as signed `hotline` webhooks (orderNo TIPDM-{id},
// createdAt = postedAt, title, content; the clock set to each message's postedAt) into the whole app
// built in-process over a fresh SQLite file, with automatic dispatch off so that only intake runs.
// Each answer gives the lead and whether the report was merged; each new lead is read once through
// GET /api/leads/{id} for its duplicateCandidates. The figures are those of bench/dedupe-sim.ts
// (its DedupeMetrics), so the two can be compared directly.
//
//   npx tsx bench/eval-dedupe.ts [--data DIR] [--verbose]
//
// The messages are read at run time from ../shared/data/tipdm2020/ and never copied.
import { existsSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { testApp } from '../test/helpers/app.ts';
import { DedupeMetrics, loadLabels, loadMessages, quantile, type Message } from './dedupe-sim.ts';

interface Answer { reportId: string; leadId: string; duplicate: boolean }
interface LeadRead { id: string; status: string; mergedInto: string | null; duplicateCandidates: { leadId: string; score: number }[] }
interface Outcome { msg: Message; leadId: string; duplicate: boolean; candidates: { leadId: string; score: number }[] }

const verbose = process.argv.includes('--verbose');
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

let messages: Message[];
try {
  messages = loadMessages();
} catch (err) {
  console.error(`eval:dedupe: cannot read the TipDM messages (../shared/data/tipdm2020/messages.jsonl): ${(err as Error).message}`);
  process.exit(1);
}
const labels = loadLabels();

// testApp is what bench/lib/inProcess.ts wraps; used directly for the SQLite file's path.
const started = performance.now();
const app = await testApp('sqlite', { now: messages[0]?.postedAt, env: { XIANSUO_AUTO_DISPATCH: 'off' } });
const dbFile = app.database.url;
const outcomes: Outcome[] = [];
const failures: string[] = [];
const deliverMs: number[] = [];
const readMs: number[] = [];
let walBytes = 0;
let dbBytes = 0;
let tables: { name: string; bytes: number }[] = [];
const statuses = new Map<string, number>();
try {
  for (const msg of messages) {
    app.clock.set(msg.postedAt);
    const payload = { orderNo: `TIPDM-${msg.id}`, createdAt: msg.postedAt, title: msg.title, content: msg.content };
    const t0 = performance.now();
    const res = await app.deliver('hotline', payload, { id: `msg_tipdm_${msg.id}` });
    const text = await res.text();
    deliverMs.push(performance.now() - t0);
    if (res.status !== 200 && res.status !== 202) {
      failures.push(`${msg.id}: webhook ${res.status} ${text.slice(0, 200)}`);
      continue;
    }
    const a = JSON.parse(text) as Answer;
    let candidates: Outcome['candidates'] = [];
    if (!a.duplicate) {
      // A new lead: its candidates are fixed at creation; read it once, now.
      const t1 = performance.now();
      const r = await app.get(`/api/leads/${a.leadId}`);
      readMs.push(performance.now() - t1);
      if (r.status !== 200) {
        failures.push(`${msg.id}: GET /api/leads/${a.leadId} ${r.status}`);
        continue;
      }
      candidates = ((await r.json()) as LeadRead).duplicateCandidates ?? [];
    }
    outcomes.push({ msg, leadId: a.leadId, duplicate: a.duplicate === true, candidates });
  }
  // The leads as they stand at the end (no dispatch ran, so all should still be open and unmerged).
  for (const leadId of new Set(outcomes.filter((o) => !o.duplicate).map((o) => o.leadId))) {
    const r = await app.get(`/api/leads/${leadId}`);
    const lead = (await r.json()) as LeadRead;
    const key = `${lead.status}${lead.mergedInto ? ' (merged)' : ''}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  walBytes = fileSize(`${dbFile}-wal`);
  await sql`pragma wal_checkpoint(truncate)`.execute(app.database.db);
  dbBytes = fileSize(dbFile);
  try {
    const rows = await sql<{ name: string; bytes: number }>`select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc limit 6`.execute(app.database.db);
    tables = rows.rows;
  } catch { /* dbstat not compiled in: skip the breakdown */ }
} finally {
  await app.close();
}
const wall = performance.now() - started;

// ---------- metrics (the simulator's own code) ----------
const metrics = new DedupeMetrics(labels);
const missed: string[] = [];
const wrong: string[] = [];
for (const o of outcomes) {
  const seen = metrics.observe(o.msg, { leadId: o.leadId, merged: o.duplicate, candidates: o.candidates.map((c) => c.leadId) });
  for (const x of seen.wrong) wrong.push(`${o.msg.id}(${seen.cluster}) → ${x}(${metrics.cluster(x)}) lead ${o.leadId}`);
  if (seen.found === false) missed.push(`${o.msg.id}(${seen.cluster}) ${o.duplicate ? `merged into ${o.leadId}` : `new lead, candidates ${o.candidates.map((c) => `${c.leadId}:${c.score.toFixed(2)}`).join(' ') || '-'}`}`);
}
const distinctMerged = metrics.distinctMerged();
const labelled = labels.clusters.reduce((s, c) => s + c.messages.length, 0);
const { pairs, repeats } = metrics;
const sorted = [...deliverMs].sort((a, b) => a - b);

console.log(`messages ${messages.length}, labelled ${labelled} in ${labels.clusters.length} clusters, ${labels.distinct.length} look-alike pairs`);
console.log(`delivered ${outcomes.length} through POST /webhooks/hotline (SQLite, automatic dispatch off)${failures.length ? `; ${failures.length} FAILED` : ''}`);
console.log(`leads created: ${metrics.leads}; reports merged: ${metrics.merges} `
  + `(${metrics.mergesIntoUnlabelled} labelled reports merged into leads without a labelled report)`);
console.log(`candidates listed per new lead: ${metrics.listedPerNewLead.toFixed(2)} (${metrics.listed} in all)`);
console.log(`lead status at the end: ${[...statuses].map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`precision (pairs, all clusters):        ${pairs.all}`);
console.log(`precision (pairs, without 3 largest):   ${pairs.small}`);
console.log(`repeat found (all clusters):            ${repeats.all}`);
console.log(`repeat found (without 3 largest):       ${repeats.small}`);
console.log(`repeat found, first from this reporter: ${repeats.otherReporter}; without 3 largest ${repeats.otherReporterSmall}`);
console.log(`split halves of the clusters: precision ${pairs.half[0]} / ${pairs.half[1]}, recall ${repeats.half[0]} / ${repeats.half[1]}`);
console.log(`look-alike pairs merged: ${distinctMerged.length}/${labels.distinct.length}`);
console.log(`time per report (signed webhook, whole HTTP path, in-process): mean ${mean(deliverMs).toFixed(2)} ms, `
  + `p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p95 ${quantile(sorted, 0.95).toFixed(2)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms; `
  + `GET lead mean ${mean(readMs).toFixed(2)} ms; wall ${(wall / 1000).toFixed(1)} s`);
const q = Math.ceil(deliverMs.length / 4);
console.log(`  mean by quarter of the run (store growing): ${[0, 1, 2, 3].map((i) => mean(deliverMs.slice(i * q, (i + 1) * q)).toFixed(1)).join(' / ')} ms`);
console.log(`SQLite file at the end: ${mib(dbBytes)} after checkpoint (WAL was ${mib(walBytes)}), ${(dbBytes / Math.max(1, outcomes.length) / 1024).toFixed(1)} KiB per report`
  + (tables.length ? `; largest: ${tables.map((t) => `${t.name} ${mib(t.bytes)}`).join(', ')}` : ''));
if (failures.length) for (const f of failures.slice(0, 10)) console.log(`  failure ${f}`);
if (verbose) {
  for (const w of wrong) console.log(`  wrong merge ${w}`);
  for (const d of distinctMerged) console.log(`  look-alike merged ${d}`);
  for (const m of missed) console.log(`  missed ${m}`);
}
console.log(`dedupe (real intake): precision ${pairs.all.rate.toFixed(3)} (n=${pairs.all.n}), recall ${repeats.all.rate.toFixed(3)} (n=${repeats.all.n}); `
  + `without 3 largest clusters: precision ${pairs.small.rate.toFixed(3)} (n=${pairs.small.n}), recall ${repeats.small.rate.toFixed(3)} (n=${repeats.small.n})`);
process.exit(failures.length ? 1 : 0);
