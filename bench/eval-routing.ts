// npm run eval:routing — how well routing fits real citizen messages (TipDM 2020, 495 labelled).
// Each message goes through the REAL intake path as a signed `hotline` webhook (orderNo TIPDM-{id},
// createdAt = postedAt, title, content; the label is never sent), is read back through
// GET /api/leads/{id}, and its routed agency is compared with the message's first-level category
// through bench/eval-routing-mapping.ts. The data are read from ../shared and never copied.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_DIRECTORY } from '../src/domain/directory.ts';
import { CATEGORY_AGENCIES, TIPDM_CATEGORIES, fits } from './eval-routing-mapping.ts';
import { inProcessApp } from './lib/inProcess.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = resolve(ROOT, '../shared/data/tipdm2020/labelled.jsonl');

interface Message { id: string; user: string; title: string; postedAt: string; content: string; category: string }
interface LeadRead {
  routing: { agency: string | null; transfer: string | null; reason: string | null };
  problemTypes: string[];
  domain: string | null;
}
interface Outcome { msg: Message; agency: string | null; transfer: string | null; problemTypes: string[]; domain: string | null; duplicate: boolean; ms: number }

// ---------- formatting ----------
const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const padR = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));
const padL = (s: string, w: number): string => ' '.repeat(Math.max(0, w - width(s))) + s;
const pct = (a: number, n: number): string => (n === 0 ? '-' : `${((100 * a) / n).toFixed(1)}%`);
const cut = (s: string, n: number): string => ([...s].length > n ? [...s].slice(0, n - 1).join('') + '…' : s);
function table(head: string[], rows: string[][], leftCols = 1): string {
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => (i < leftCols ? padR(c, w[i]!) : padL(c, w[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
const names = new Map(BUILTIN_DIRECTORY.agencies.map((a) => [a.code, a.name]));
const nameOf = (code: string): string => names.get(code) ?? (code.startsWith('township-') ? '乡镇（街道）综合行政执法机构' : '?');
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

// ---------- read ----------
if (!existsSync(DATA)) {
  console.error(`eval:routing: ${DATA} not found (the TipDM 2020 data must sit in ../shared/data/tipdm2020/ next to the project)`);
  process.exit(1);
}
const messages: Message[] = readFileSync(DATA, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Message);
// In the order they were posted, with the clock at each message's time, as the hotline would send them.
messages.sort((a, b) => Date.parse(a.postedAt) - Date.parse(b.postedAt) || Number(a.id) - Number(b.id));

// ---------- run ----------
const started = performance.now();
const app = await inProcessApp({ now: messages[0]?.postedAt });
const outcomes: Outcome[] = [];
const failures: string[] = [];
try {
  for (const msg of messages) {
    app.clock.set(msg.postedAt);
    const t0 = performance.now();
    const d = await app.deliver('hotline', { orderNo: `TIPDM-${msg.id}`, createdAt: msg.postedAt, title: msg.title, content: msg.content });
    if (d.status !== 200 && d.status !== 202) {
      failures.push(`${msg.id}: webhook ${d.status} ${JSON.stringify(d.json)?.slice(0, 200)}`);
      continue;
    }
    const r = await app.get<LeadRead>(`/api/leads/${d.json.leadId}`);
    const ms = performance.now() - t0;
    if (r.status !== 200) {
      failures.push(`${msg.id}: GET lead ${r.status}`);
      continue;
    }
    outcomes.push({
      msg, agency: r.json.routing.agency, transfer: r.json.routing.transfer,
      problemTypes: r.json.problemTypes ?? [], domain: r.json.domain, duplicate: d.json.duplicate === true, ms,
    });
  }
} finally {
  await app.close();
}
const wall = performance.now() - started;

// ---------- the mapping ----------
console.log('== Mapping: TipDM category → agencies that fit (bench/eval-routing-mapping.ts) ==');
console.log('   strict fit = primary only; loose fit = primary or related');
for (const cat of TIPDM_CATEGORIES) {
  const f = CATEGORY_AGENCIES[cat];
  console.log(`${cat}`);
  for (const [code, why] of Object.entries(f.primary)) console.log(`  primary  ${padR(code, 18)} ${nameOf(code)}：${why}`);
  for (const [code, why] of Object.entries(f.related)) console.log(`  related  ${padR(code, 18)} ${nameOf(code)}：${why}`);
  if (f.townships) console.log(`  ${f.townships.primary ? 'primary' : 'related'}  ${padR('township-*', 18)} ${f.townships.reason}`);
}
console.log();

// ---------- totals ----------
const n = outcomes.length;
const isTriage = (o: Outcome) => o.agency === null;
const loose = (o: Outcome) => o.agency !== null && fits(o.msg.category, o.agency);
const strict = (o: Outcome) => o.agency !== null && fits(o.msg.category, o.agency, true);
const count = (xs: Outcome[], p: (o: Outcome) => boolean) => xs.filter(p).length;
const fitN = count(outcomes, loose);
const strictN = count(outcomes, strict);
const triageN = count(outcomes, isTriage);
const misfitN = n - fitN - triageN;
const dupN = count(outcomes, (o) => o.duplicate);
const transferN = count(outcomes, (o) => o.transfer !== null);
const routedN = n - triageN;

console.log('== Totals ==');
console.log(`messages read        ${messages.length}`);
console.log(`evaluated            ${n}${failures.length ? `  (${failures.length} failed, see below)` : ''}`);
console.log(`merged as duplicate  ${dupN}  (these carry the routing of the lead they joined)`);
console.log(`fit (loose)          ${fitN}  ${pct(fitN, n)}   of routed: ${pct(fitN, routedN)}`);
console.log(`fit (strict)         ${strictN}  ${pct(strictN, n)}   of routed: ${pct(strictN, routedN)}`);
console.log(`triage (agency null) ${triageN}  ${pct(triageN, n)}`);
console.log(`misfit               ${misfitN}  ${pct(misfitN, n)}`);
console.log(`transfer proposed    ${transferN}  ${pct(transferN, n)}`);
console.log();

// ---------- per category ----------
console.log('== Per category ==');
const byCat = new Map<string, Outcome[]>();
for (const o of outcomes) byCat.set(o.msg.category, [...(byCat.get(o.msg.category) ?? []), o]);
const cats = [...TIPDM_CATEGORIES, ...[...byCat.keys()].filter((c) => !(TIPDM_CATEGORIES as readonly string[]).includes(c))];
console.log(table(['category', 'n', 'fit', 'strict', 'triage', 'misfit'], cats.filter((c) => byCat.has(c)).map((c) => {
  const xs = byCat.get(c)!;
  const f = count(xs, loose), t = count(xs, isTriage);
  return [c, String(xs.length), pct(f, xs.length), pct(count(xs, strict), xs.length), pct(t, xs.length), pct(xs.length - f - t, xs.length)];
})));
console.log();

// ---------- confusion ----------
const col = (o: Outcome): string => (o.agency === null ? 'triage' : o.agency.startsWith('township-') ? 'township-*' : o.agency);
const colCounts = new Map<string, number>();
for (const o of outcomes) if (o.agency !== null) colCounts.set(col(o), (colCounts.get(col(o)) ?? 0) + 1);
const TOP = 11;
const ranked = [...colCounts].sort((a, b) => b[1] - a[1]).map(([c]) => c);
const cols = ranked.slice(0, TOP);
const hasOther = ranked.length > TOP;
console.log(`== Confusion: category × chosen agency (top ${cols.length}${hasOther ? ' + other' : ''}, triage); * strict fit, + loose fit ==`);
const confHead = ['category', ...cols, ...(hasOther ? ['other'] : []), 'triage'];
console.log(table(confHead, cats.filter((c) => byCat.has(c)).map((c) => {
  const xs = byCat.get(c)!;
  const cell = (code: string) => {
    const k = count(xs, (o) => col(o) === code);
    if (k === 0) return '.';
    const probe = code === 'township-*' ? 'township-x' : code;
    return `${k}${fits(c, probe, true) ? '*' : fits(c, probe) ? '+' : ''}`;
  };
  const other = count(xs, (o) => o.agency !== null && !cols.includes(col(o)));
  return [c, ...cols.map(cell), ...(hasOther ? [other ? String(other) : '.'] : []), String(count(xs, isTriage) || '.')];
})));
if (hasOther) console.log(`other: ${ranked.slice(TOP).map((c) => `${c} ${colCounts.get(c)}`).join(', ')}`);
console.log();

// ---------- misfits ----------
const misfits = outcomes.filter((o) => !isTriage(o) && !loose(o));
if (misfits.length) {
  const pairs = new Map<string, number>();
  for (const o of misfits) pairs.set(`${o.msg.category} → ${o.agency}`, (pairs.get(`${o.msg.category} → ${o.agency}`) ?? 0) + 1);
  console.log('== Misfits: most frequent category → agency ==');
  console.log([...pairs].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([p, k]) => `  ${padL(String(k), 3)}  ${p}`).join('\n'));
  console.log('  examples:');
  for (const o of misfits.slice(0, 8)) console.log(`    #${o.msg.id} ${o.msg.category} → ${o.agency}: ${cut(o.msg.title, 40)}`);
  console.log();
}

// ---------- problemTypes and domain ----------
function distribution(title: string, keys: string[][]): void {
  const c = new Map<string, number>();
  for (const ks of keys) for (const k of ks.length ? ks : ['(none)']) c.set(k, (c.get(k) ?? 0) + 1);
  console.log(`== ${title} ==`);
  console.log([...c].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${padL(String(v), 4)}  ${padL(pct(v, n), 6)}  ${k}`).join('\n'));
  console.log();
}
distribution('problemTypes (a lead may have several)', outcomes.map((o) => o.problemTypes));
distribution('domain', outcomes.map((o) => [o.domain ?? '(none)']));

// ---------- timing ----------
const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
const mean = times.reduce((s, x) => s + x, 0) / (times.length || 1);
console.log('== Time per lead (signed webhook + GET /api/leads/{id}, in-process, SQLite file) ==');
console.log(`  mean ${mean.toFixed(2)} ms  p50 ${quantile(times, 0.5).toFixed(2)} ms  p95 ${quantile(times, 0.95).toFixed(2)} ms  max ${(times[times.length - 1] ?? 0).toFixed(2)} ms  (wall ${(wall / 1000).toFixed(1)} s incl. setup)`);
console.log();

if (failures.length) {
  console.log(`== Failures (${failures.length}) ==`);
  for (const f of failures.slice(0, 10)) console.log(`  ${f}`);
  console.log();
}

console.log(`routing: fit ${pct(fitN, n)} (n=${n}), strict ${pct(strictN, n)}, triage ${pct(triageN, n)}, misfit ${pct(misfitN, n)}`);
process.exit(0);

