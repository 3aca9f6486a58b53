// D1's one atomic write: a list of statements sent as one `batch()` (D1 has no interactive
// transactions: a batch runs as one transaction, and a statement that fails rolls the whole
// batch back). Statements are Kysely queries compiled with the SQLite dialect kysely-d1 uses.
import type { CompiledQuery } from 'kysely';

/** The slice of a D1 binding this needs (the Workers type, without importing it here). */
export interface D1BatchTarget {
  prepare(sql: string): { bind(...values: unknown[]): D1Bound };
  batch(statements: D1Bound[]): Promise<{ results?: unknown[]; meta?: { changes?: number } }[]>;
}
export type D1Bound = object;

export interface Compilable {
  compile(): CompiledQuery;
}

/** Runs `queries` as one D1 batch: all of them or none. Answers each statement's rows and changes. */
export async function runD1Batch(d1: D1BatchTarget, queries: (Compilable | CompiledQuery)[]): Promise<{ rows: unknown[]; changes: number }[]> {
  if (queries.length === 0) return [];
  const statements = queries.map((q) => {
    const c = 'compile' in q ? q.compile() : q;
    return d1.prepare(c.sql).bind(...c.parameters.map(d1Value));
  });
  const results = await d1.batch(statements);
  return results.map((r) => ({ rows: r.results ?? [], changes: r.meta?.changes ?? 0 }));
}

/** D1 binds strings, numbers, null and bytes; booleans as 0/1, like better-sqlite3. */
function d1Value(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return v;
}
