// Statements that intake runs for every report, built and compiled once per transaction and then
// run with each report's values. Kysely builds an immutable tree for each statement and compiles
// it to SQL, which takes about as long as SQLite takes to run a small insert; a group commit
// (src/db/commit.ts) holds many reports in one transaction, so these are compiled once per group.
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Tx } from './tx.ts';

const MARK = '\u0000xiansuo-arg:';

interface Template {
  sql: string;
  parameters: readonly unknown[];
  /** [position in parameters, argument index] */
  slots: [number, number][];
}

/**
 * `build(tx, ...args)` as a statement compiled once per transaction: it is built with a marker
 * in place of each argument, and each run puts the arguments where the markers are. Every
 * argument must reach the statement as a parameter, once or more (checked when compiled).
 */
export function reusable<A extends unknown[], R>(
  arity: A['length'], build: (tx: Tx, ...args: A) => Compilable<R>,
): (tx: Tx, ...args: A) => Promise<QueryResult<R>> {
  const templates = new WeakMap<Tx, Template>();
  const compile = (tx: Tx): Template => {
    const marks = Array.from({ length: arity }, (_, i) => `${MARK}${i}`) as unknown as A;
    const query = build(tx, ...marks).compile();
    const slots: [number, number][] = [];
    query.parameters.forEach((p, at) => {
      if (typeof p === 'string' && p.startsWith(MARK)) slots.push([at, Number(p.slice(MARK.length))]);
    });
    const used = new Set(slots.map(([, arg]) => arg));
    if (used.size !== arity) throw new Error(`reusable statement: ${arity - used.size} of ${arity} arguments are not parameters`);
    return { sql: query.sql, parameters: query.parameters, slots };
  };
  return (tx, ...args) => {
    let t = templates.get(tx);
    if (!t) templates.set(tx, (t = compile(tx)));
    const parameters = t.parameters.slice();
    for (const [at, arg] of t.slots) parameters[at] = args[arg];
    return tx.executeQuery(CompiledQuery.raw(t.sql, parameters) as CompiledQuery<R>);
  };
}
