// The D1 backend of commit(plan) (src/domain/plan.ts, src/db/commit.ts): a plan as ONE
// `db.batch()`, which D1 runs as one transaction (all statements or none).
//
// D1 has no interactive transactions, so what SQLite and PostgreSQL do inside the transaction
// is done before the batch and guarded inside it:
// - the chain head (seq, hash) and the counters the plan takes numbers from are read first; the
//   batch starts with guards that they have not moved (another writer committed meanwhile), and
//   then writes the counters' new values and the head. A moved head or counter is not the plan's
//   conflict but the order of writers: the commit reads again and tries again (bounded).
// - each lead's recorded state after the write (commit.ts withStates) is computed from the lead's
//   and its assignments' rows as read, with the plan's own writes applied to them in memory; the
//   head guard makes sure nobody changed them in between (every write records events, so every
//   write moves the head).
// - the plan's guards (plan_guard inserts) and unique keys fail the batch: D1's error does not
//   say which statement failed, so after a failed batch the guards are asked one by one, and the
//   first that no longer holds is the PlanConflict's reason.
// - the callbacks to the sources that the events cause (commit.ts callbackWrites, shared with
//   SQLite and PostgreSQL) are gathered from the rows as read with the plan's own writes applied
//   to them (overlayRows: a new report, a merge, a status change of the same plan count), and
//   inserted in the same batch; the head guard again makes sure the rows read did not change.
import type { Kysely } from 'kysely';
import { chain, keyMarker, type AuditKey, type EventDraft } from '../../domain/audit.ts';
import { recordedState, stateText } from '../../domain/auditState.ts';
import {
  PlanConflict, formatCounter,
  type Committed, type Guard, type Plan, type Scalar, type Where, type Write,
} from '../../domain/plan.ts';
import {
  bindHandles, callbackWrites, compilePlan, compileSelect, fillPlan, isConflict,
  type Backend, type Row, type RowsOf, type Statement,
} from '../commit.ts';
import type { DB } from '../schema/index.ts';
import type { D1BatchTarget, D1Bound } from './batch.ts';

/** What the batch answers for the head it expected: tries before giving up on a busy head. */
const HEAD_TRIES = 25;

interface D1Target extends D1BatchTarget {
  prepare(sql: string): { bind(...values: unknown[]): D1Bound & { first<T = Row>(): Promise<T | null>; all<T = Row>(): Promise<{ results: T[] }> } };
}

function matches(row: Row, where: Where): boolean {
  return Object.entries(where).every(([col, v]) => {
    const have = row[col] ?? null;
    if (v instanceof Uint8Array) return false; // blobs are never matched on
    if (v !== null && typeof v === 'object') return v.in.some((x) => x === have || (x !== null && have !== null && String(x) === String(have)));
    return v === have || (v !== null && have !== null && String(v) === String(have));
  });
}

/** The plan's writes applied to rows held in memory (only to the tables given). */
function applyWrites(tables: Record<string, Row[]>, writes: readonly Write[]): void {
  for (const w of writes) {
    const rows = tables[w.table];
    if (!rows) continue;
    if (w.kind === 'insert') {
      const key = w.onConflict?.columns ?? keyOf(w.table);
      const clash = rows.find((r) => key.every((k) => String(r[k]) === String(w.row[k])));
      if (!clash) rows.push({ ...w.row });
      else for (const c of w.onConflict?.update ?? []) clash[c] = w.row[c];
    } else if (w.kind === 'update') {
      for (const r of rows.filter((x) => matches(x, w.where))) {
        for (const [c, v] of Object.entries(w.set)) r[c] = v !== null && typeof v === 'object' && !(v instanceof Uint8Array) ? Number(r[c] ?? 0) + v.add : v;
      }
    } else {
      tables[w.table] = rows.filter((r) => !matches(r, w.where));
    }
  }
}

/** The primary key of the tables the callbacks read (every other table's is `id`). */
const KEYS: Record<string, readonly string[]> = { agencies: ['code'], source_callbacks: ['source'], counters: ['name'] };
const keyOf = (table: string): readonly string[] => KEYS[table] ?? ['id'];
const keyText = (row: Row, key: readonly string[]): string => JSON.stringify(key.map((k) => String(row[k] ?? '')));

/**
 * Reads of D1 as they will stand after the plan's writes (commit.ts RowsOf). For each table the
 * plan writes, the rows its writes can touch are read once (what each update or delete matches,
 * what each insert could clash with) and the writes applied to them in memory; any other row is
 * as D1 holds it. So a query answers the stored rows the plan leaves alone plus the touched rows
 * that match after the writes: a report inserted by the plan, a lead it merges, count.
 */
function overlayRows(d1: D1Target, writes: readonly Write[]): RowsOf {
  const touched = new Map<string, Promise<{ keys: Set<string>; rows: Row[] }>>();
  const select = async (table: string, where: Where): Promise<Row[]> => {
    const s = compileSelect(table, where, 'sqlite');
    return (await d1.prepare(s.sql).bind(...s.parameters).all<Row>()).results;
  };
  const touchedOf = (table: string) => {
    let found = touched.get(table);
    if (!found) {
      found = (async () => {
        const mine = writes.filter((w) => w.table === table);
        const key = keyOf(table);
        const before = new Map<string, Row>();
        if (mine.length > 0) {
          // One batch of reads (a batch answers each statement's rows), however many writes.
          const reads = mine.map((w) => compileSelect(table, w.kind === 'insert'
            ? Object.fromEntries((w.onConflict?.columns ?? key).map((c) => [c, w.row[c] ?? null]))
            : w.where, 'sqlite'));
          const answers = await d1.batch(reads.map((s) => d1.prepare(s.sql).bind(...s.parameters)));
          for (const a of answers) for (const r of (a.results ?? []) as Row[]) before.set(keyText(r, key), r);
        }
        const tables: Record<string, Row[]> = { [table]: [...before.values()].map((r) => ({ ...r })) };
        applyWrites(tables, mine);
        return { keys: new Set(before.keys()), rows: tables[table]! };
      })();
      touched.set(table, found);
    }
    return found;
  };
  return async (table, where) => {
    const t = await touchedOf(table);
    const key = keyOf(table);
    const stored = (await select(table, where)).filter((r) => !t.keys.has(keyText(r, key)));
    return [...stored, ...t.rows.filter((r) => matches(r, where))];
  };
}

function keyedPart(head: { seq: number; keyed_from: number | null; key_id: string | null }, key: AuditKey | undefined) {
  const from = head.keyed_from === null ? null : Number(head.keyed_from);
  if (from === null) return key ? { key, from: head.seq + 1, fresh: true } : undefined;
  if (!key) throw new Error(`全过程记录自第 ${from} 条起以密钥签名，但未设置 XIANSUO_AUDIT_KEY，不能写入`);
  if (head.key_id !== key.id) throw new Error(`XIANSUO_AUDIT_KEY 与全过程记录所用的密钥（编号 ${head.key_id}）不符，不能写入`);
  return { key, from, fresh: false };
}

const stmt = (sql: string, ...parameters: Scalar[]): Statement => ({ sql, parameters });

export function d1Backend(d1: D1Target, db: Kysely<DB>): Backend {
  let auditKey: AuditKey | undefined;

  async function head() {
    const h = await d1.prepare('select seq, hash, keyed_from, key_id from audit_head where id = 1').bind().first<{ seq: number; hash: string; keyed_from: number | null; key_id: string | null }>();
    if (!h) throw new Error('audit_head missing: are the D1 migrations applied? (wrangler d1 migrations apply DB)');
    return { ...h, seq: Number(h.seq) };
  }

  async function counters(names: string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>(names.map((n) => [n, null]));
    if (names.length === 0) return out;
    const rows = await d1.prepare(`select name, last from counters where name in (${names.map(() => '?').join(', ')})`).bind(...names).all<{ name: string; last: number }>();
    for (const r of rows.results) out.set(r.name, Number(r.last));
    return out;
  }

  async function statesAfter(events: EventDraft[], writes: readonly Write[]): Promise<EventDraft[]> {
    const last = new Map<string, number>();
    events.forEach((e, i) => { if (e.leadId) last.set(e.leadId, i); });
    if (last.size === 0) return events;
    const ids = [...last.keys()];
    const marks = ids.map(() => '?').join(', ');
    const leads = (await d1.prepare(`select id, status, routing_agency from leads where id in (${marks})`).bind(...ids).all<Row>()).results;
    const assignments = (await d1.prepare(`select id, lead_id, agency, status, ack_due_at, due_at from assignments where lead_id in (${marks})`).bind(...ids).all<Row>()).results;
    const tables = { leads: [...leads], assignments: [...assignments] };
    applyWrites(tables, writes);
    const out = [...events];
    for (const [id, i] of last) {
      const lead = tables.leads.find((l) => l.id === id);
      if (!lead) continue;
      const mine = tables.assignments.filter((a) => a.lead_id === id) as { id: string; agency: string; status: string; ack_due_at: string | null; due_at: string | null }[];
      out[i] = { ...out[i]!, state: stateText(recordedState(lead as { status: string; routing_agency: string | null }, mine)) };
    }
    return out;
  }

  /** Whether a guard still holds: its statement alone fails exactly when it does not (and never inserts). */
  async function holds(g: Guard): Promise<boolean> {
    const [s] = compilePlan({ guards: [g], writes: [], events: [], counters: [] }, 'sqlite');
    try {
      await d1.batch([d1.prepare(s!.sql).bind(...s!.parameters)]);
      return true;
    } catch {
      return false;
    }
  }

  async function once(plan: Plan): Promise<{ done: Committed } | { moved: true }> {
    const h = await head();
    const names = [...new Set(plan.counters.map((c) => c.counter))];
    const read = await counters(names);
    const next = new Map(read);
    const ids: Record<string, Scalar> = {};
    for (const c of plan.counters) {
      const n = (next.get(c.counter) ?? 0) + 1;
      next.set(c.counter, n);
      ids[c.placeholder] = formatCounter(c, n);
    }
    const filled = fillPlan(plan, ids);
    const keyed = keyedPart(h, auditKey);
    const events = await statesAfter(filled.events, filled.writes);
    // The callbacks these events cause, from the rows as the batch leaves them (API.md §7).
    const callbacks = events.length > 0 ? await callbackWrites(overlayRows(d1, filled.writes), events, h.seq) : [];
    const statements: Statement[] = [
      // Nobody committed since the head was read: the states and the chain below are right.
      stmt('insert into "plan_guard" ("ok") select 0 where not exists (select 1 from "audit_head" where "id" = 1 and "seq" = ? and "hash" = ?)', h.seq, h.hash),
      ...names.map((n) => (read.get(n) === null
        ? stmt('insert into "plan_guard" ("ok") select 0 where exists (select 1 from "counters" where "name" = ?)', n)
        : stmt('insert into "plan_guard" ("ok") select 0 where not exists (select 1 from "counters" where "name" = ? and "last" = ?)', n, read.get(n)!))),
      ...compilePlan(filled, 'sqlite'),
      ...compilePlan({ guards: [], writes: callbacks, events: [], counters: [] }, 'sqlite'),
      ...names.map((n) => stmt('insert into "counters" ("name", "last") values (?, ?) on conflict ("name") do update set "last" = excluded."last"', n, next.get(n)!)),
    ];
    if (keyed?.fresh) {
      const m = keyMarker(keyed.key, keyed.from);
      statements.push(stmt('update "audit_head" set "keyed_from" = ?, "key_id" = ?, "key_mac" = ? where "id" = 1', m.keyedFrom, m.keyId, m.mac));
    }
    if (events.length > 0) {
      const chained = chain({ seq: h.seq, hash: h.hash }, events, keyed);
      for (const e of chained) {
        statements.push(stmt(
          'insert into "events" ("seq", "lead_id", "report_id", "actor", "action", "at", "data", "state", "prev_hash", "hash") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          e.seq, e.leadId, e.reportId, e.actor, e.action, e.at, e.data, e.state, e.prevHash, e.hash,
        ));
      }
      const lastEvent = chained[chained.length - 1]!;
      statements.push(stmt('update "audit_head" set "seq" = ?, "hash" = ?, "touched_at" = ? where "id" = 1', lastEvent.seq, lastEvent.hash, lastEvent.at));
    }
    try {
      await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.parameters)));
    } catch (err) {
      if (!isConflict(err) && !/CHECK constraint failed|SQLITE_CONSTRAINT/.test(String((err as Error)?.message ?? err))) throw err;
      const now = await head();
      const nowCounters = await counters(names);
      if (now.seq !== h.seq || now.hash !== h.hash || names.some((n) => nowCounters.get(n) !== read.get(n))) return { moved: true };
      for (const g of filled.guards) if (!(await holds(g))) throw new PlanConflict(g.reason);
      throw new PlanConflict(String((err as Error)?.message ?? err));
    }
    return { done: { ids } };
  }

  const backend: Backend = {
    dialect: 'd1', db, reader: db,
    async commit(plan, onCommitted) {
      for (let i = 1; ; i++) {
        const r = await once(plan);
        if ('done' in r) {
          onCommitted?.(r.done);
          return r.done;
        }
        if (i >= HEAD_TRIES) throw new Error('D1：写入繁忙，多次重试后仍未提交');
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * i));
      }
    },
    useAuditKey: (key) => { auditKey = key; },
    // A D1 batch answers once it is committed and durable.
    durable: () => Promise.resolve(),
    changeProbe: () => undefined,
    close: () => Promise.resolve(),
  };
  // Code that still writes through the handle (commitPlan(db, …), write(db, …)) finds this
  // backend; it has no interactive write, so write(db, …) is refused with the reason.
  bindHandles(backend);
  return backend;
}
