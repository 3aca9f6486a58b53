// commit(plan): a plan (src/domain/plan.ts) as one atomic list of SQL statements.
//
// compilePlan turns a plan whose counter numbers are known into plain statements (SQL text and
// parameters) in the SQL that SQLite, D1 and PostgreSQL share; only the parameter marks differ
// (`?` or `$n`). A guard is a statement that fails the whole list when its fact no longer holds:
//   insert into plan_guard (ok) select 0 where not exists (select 1 from <table> where …)
// plan_guard has CHECK (ok = 1), so the insert fails exactly when the guarded row is gone (or,
// for `absent`, is there), and nothing of the list is kept. The same list runs as one
// transaction on SQLite and PostgreSQL (inside the write queue's group commit, src/db/write.ts,
// one savepoint per plan) and as one `db.batch()` on D1.
//
// On SQLite and PostgreSQL the commit takes the counters' next values inside the transaction and
// chains the events after the head it holds (write.ts); a D1 backend reads both before the batch
// and guards that they did not move.
import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';
import {
  PlanConflict, fillIn, formatCounter, hasPlaceholder,
  type Committed, type Guard, type Plan, type Scalar, type SetValue, type Where, type Write,
} from '../domain/plan.ts';
import { reusable } from './reusable.ts';
import type { DB } from './schema/index.ts';
import type { Tx } from './tx.ts';

export type SqlFlavour = 'sqlite' | 'postgres';

export function flavourOf(db: Kysely<DB>): SqlFlavour {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Next value of a named counter, inside the caller's transaction. */
export async function nextCounter(tx: Tx, name: string): Promise<number> {
  const [row] = (await takeNext(tx, name)).rows;
  if (!row) throw new Error(`counter ${name} gave no value`);
  return Number(row.last);
}

const takeNext = reusable(1, (tx: Tx, name: string) => tx.insertInto('counters').values({ name, last: 1 })
  .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ last: eb('counters.last', '+', 1) })))
  .returning('last'));


export interface Statement {
  sql: string;
  parameters: Scalar[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function id(name: string): string {
  // Table and column names come from code, never from input; refuse anything else outright.
  if (!IDENT.test(name)) throw new Error(`plan: not a plain SQL name: ${name}`);
  return `"${name}"`;
}

class Builder {
  parameters: Scalar[] = [];
  constructor(private readonly flavour: SqlFlavour) {}
  param(v: Scalar): string {
    this.parameters.push(v);
    return this.flavour === 'postgres' ? `$${this.parameters.length}` : '?';
  }
  where(w: Where): string {
    const parts = Object.entries(w).map(([col, v]) => {
      if (v === null) return `${id(col)} is null`;
      if (typeof v === 'object' && !(v instanceof Uint8Array)) {
        if (v.in.length === 0) return '1 = 0';
        return `${id(col)} in (${v.in.map((x) => this.param(x)).join(', ')})`;
      }
      return `${id(col)} = ${this.param(v)}`;
    });
    if (parts.length === 0) throw new Error('plan: a where without columns');
    return parts.join(' and ');
  }
}

function compileWrite(w: Write, flavour: SqlFlavour): Statement {
  const b = new Builder(flavour);
  let text: string;
  switch (w.kind) {
    case 'insert': {
      const cols = Object.keys(w.row);
      text = `insert into ${id(w.table)} (${cols.map(id).join(', ')}) values (${cols.map((c) => b.param(w.row[c]!)).join(', ')})`;
      if (w.onConflict) {
        const target = `(${w.onConflict.columns.map(id).join(', ')})`;
        const update = w.onConflict.update ?? [];
        text += update.length === 0
          ? ` on conflict ${target} do nothing`
          : ` on conflict ${target} do update set ${update.map((c) => `${id(c)} = excluded.${id(c)}`).join(', ')}`;
      }
      break;
    }
    case 'update': {
      const sets = Object.entries(w.set).map(([col, v]: [string, SetValue]) =>
        (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) ? `${id(col)} = ${id(col)} + ${b.param(v.add)}` : `${id(col)} = ${b.param(v)}`));
      text = `update ${id(w.table)} set ${sets.join(', ')} where ${b.where(w.where)}`;
      break;
    }
    case 'delete':
      text = `delete from ${id(w.table)} where ${b.where(w.where)}`;
      break;
  }
  return { sql: text, parameters: b.parameters };
}

function compileGuard(g: Guard, flavour: SqlFlavour): Statement {
  const b = new Builder(flavour);
  const test = g.kind === 'exists' ? 'not exists' : 'exists';
  return {
    sql: `insert into "plan_guard" ("ok") select 0 where ${test} (select 1 from ${id(g.table)} where ${b.where(g.where)})`,
    parameters: b.parameters,
  };
}

/**
 * The statements of a plan whose placeholders are filled in, guards first. The statements at
 * `guardAt` positions are guards: when one fails, `guards[i]` names why (see conflictOf).
 */
export function compilePlan(plan: Plan, flavour: SqlFlavour): Statement[] {
  const out = [...plan.guards.map((g) => compileGuard(g, flavour)), ...plan.writes.map((w) => compileWrite(w, flavour))];
  for (const s of out) {
    for (const p of s.parameters) {
      if (typeof p === 'string' && hasPlaceholder(p)) throw new Error('plan: a placeholder was left unfilled');
    }
  }
  return out;
}

/** The plan with its counter numbers put in place. */
export function fillPlan(plan: Plan, ids: Committed['ids']): Plan {
  return {
    guards: fillIn(plan.guards, ids), writes: fillIn(plan.writes, ids), events: fillIn(plan.events, ids), counters: [],
  };
}

/** Whether a failed statement means "somebody else wrote first": a guard, or a unique key taken. */
export function isConflict(err: unknown): boolean {
  const text = String((err as { message?: unknown })?.message ?? err);
  const code = (err as { code?: unknown })?.code;
  return text.includes('plan_guard') || code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE'
    || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(text);
}

/**
 * Runs a plan inside the caller's transaction (SQLite, PostgreSQL): takes its counters, fills
 * them in, runs its statements. Answers the filled-in events (for the chain) and the ids. A
 * failed guard or a taken unique key is a PlanConflict; the caller rolls back.
 */
export async function runPlan(tx: Tx, plan: Plan, flavour: SqlFlavour): Promise<{ ids: Committed['ids']; events: Plan['events'] }> {
  const ids: Record<string, Scalar> = {};
  for (const c of plan.counters) ids[c.placeholder] = formatCounter(c, await nextCounter(tx, c.counter));
  const filled = fillPlan(plan, ids);
  const statements = compilePlan(filled, flavour);
  const guards = filled.guards.length;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    try {
      await tx.executeQuery(CompiledQuery.raw(s.sql, s.parameters));
    } catch (err) {
      if (i < guards && isConflict(err)) throw new PlanConflict(filled.guards[i]!.reason);
      if (isConflict(err)) throw new PlanConflict(String((err as Error).message ?? err));
      throw err;
    }
  }
  return { ids, events: filled.events };
}

/** Runs writes inside the caller's transaction (the interactive code not yet converted to plans). */
export async function runWrites(tx: Tx, writes: readonly Write[]): Promise<void> {
  const flavour = flavourOf(tx);
  for (const w of writes) {
    const s = compileWrite(w, flavour);
    await tx.executeQuery(CompiledQuery.raw(s.sql, s.parameters));
  }
}
