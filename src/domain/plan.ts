// A plan: everything one write stores, decided before anything is written, as plain data.
//
// A use case reads what it needs, asks the domain what to write and hands the plan to the
// store's one commit (src/db/commit.ts). The commit runs the plan as one atomic list of SQL
// statements: one transaction on SQLite and PostgreSQL, one batch on D1. Nothing is decided
// while the commit runs, so no lock is held while deciding; instead the plan names the facts it
// was decided on as guards (a row still exists with the values read, a key is still free). A
// guard that no longer holds means somebody else wrote first: the commit fails with
// PlanConflict, and the use case reads again and plans again (planAndCommit, bounded).
//
// Three things only the commit can know are filled in by it:
// - numbers from counters (report and lead numbers, log sequence numbers): the plan names a
//   placeholder (`counterId`) and uses it anywhere in its rows and events, also inside JSON text;
//   the commit takes the counter's next value and puts it where the placeholder is. (On D1 the
//   backend reads the counter before the batch and guards that it is unchanged.)
// - the chaining of the events into the full-process record (seq, previous hash, HMAC key), and
//   each lead's recorded state after the write;
// - the callbacks to the sources that the events cause (API.md §7).
import type { EventDraft } from './audit.ts';

/** A column value (bytes for blob columns). */
export type Scalar = string | number | null | Uint8Array;

/** What a column is set to: a value, or its current value plus a number (counts, versions). */
export type SetValue = Scalar | { add: number };

/** Equality on every column named; `{ in: [...] }` for one of several values. */
export type Where = Record<string, Scalar | { in: readonly Scalar[] }>;

export type Write =
  /** `onConflict`: on a clash of these unique columns, do nothing, or update the columns named in `update`. */
  | { kind: 'insert'; table: string; row: Record<string, Scalar>; onConflict?: { columns: readonly string[]; update?: readonly string[] } }
  | { kind: 'update'; table: string; set: Record<string, SetValue>; where: Where }
  | { kind: 'delete'; table: string; where: Where };

/**
 * A fact the plan was decided on. `exists`: a row matching `where` is in `table` (e.g. a lead
 * with the version read); `absent`: none is (e.g. a key still free). `reason` names it in errors.
 */
export interface Guard {
  kind: 'exists' | 'absent';
  table: string;
  where: Where;
  reason: string;
}

/** A number the commit takes from a named counter and writes where `placeholder` stands. */
export interface CounterId {
  placeholder: string;
  counter: string;
  /** Written as `${prefix}${n padded to width}`; without it, the bare number. */
  format?: { prefix: string; width: number };
}

export interface Plan {
  /** Checked before the writes, in this order. */
  guards: Guard[];
  /** Run in this order. Outbox messages are writes to the outbox table, in the same commit. */
  writes: Write[];
  /** Unchained; the commit chains them after everything the commit holds before. */
  events: EventDraft[];
  counters: CounterId[];
}

/** What the commit answers: the values it gave the placeholders. */
export interface Committed {
  ids: Record<string, Scalar>;
}

/** The one write the application needs from storage. */
export interface PlanCommitter {
  /**
   * Commits the plan atomically, or changes nothing and throws (PlanConflict when a guard failed).
   * Answers once the commit is durable. `onCommitted` runs as soon as it is committed, before it is
   * durable (in-memory followers of the rows, such as the de-duplication index).
   */
  commit(plan: Plan, onCommitted?: (c: Committed) => void): Promise<Committed>;
}

/** A guard no longer held, or a unique key was taken: somebody else wrote first. */
export class PlanConflict extends Error {
  constructor(readonly reason: string) {
    super(`写入冲突：${reason}`);
    this.name = 'PlanConflict';
  }
}

export function emptyPlan(): Plan {
  return { guards: [], writes: [], events: [], counters: [] };
}

/** Plans after one another as one plan (their writes in order). */
export function joinPlans(...plans: Plan[]): Plan {
  return {
    guards: plans.flatMap((p) => p.guards),
    writes: plans.flatMap((p) => p.writes),
    events: plans.flatMap((p) => p.events),
    counters: plans.flatMap((p) => p.counters),
  };
}

// Placeholders are private-use characters around a name and a random part: JSON and the
// canonical JSON of the record leave them as they are, and no input carries them by chance.
const OPEN = '\uE000';
const CLOSE = '\uE001';

let serial = 0;
/** A fresh placeholder for a number the commit fills in (see CounterId). */
export function placeholder(name: string): string {
  serial = (serial + 1) % 1_000_000_000;
  return `${OPEN}${name}.${serial.toString(36)}.${Math.random().toString(36).slice(2, 10)}${CLOSE}`;
}

export function counterId(name: string, counter: string, format?: CounterId['format']): CounterId {
  return { placeholder: placeholder(name), counter, format };
}

export function formatCounter(c: CounterId, n: number): Scalar {
  return c.format ? `${c.format.prefix}${String(n).padStart(c.format.width, '0')}` : n;
}

/**
 * Puts the committed values where their placeholders stand: a value that is a placeholder becomes
 * the value (a number stays a number), a text that holds some gets them replaced.
 */
export function fillIn<T>(value: T, ids: Readonly<Record<string, Scalar>>): T {
  const keys = Object.keys(ids);
  if (keys.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes(OPEN)) return v;
      if (v in ids) return ids[v];
      let out = v;
      for (const k of keys) if (out.includes(k)) out = out.split(k).join(String(ids[k]));
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Uint8Array) return v;
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}

/** Whether a text still holds a placeholder (a plan must not leave one unfilled). */
export function hasPlaceholder(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * Reads, plans and commits; on PlanConflict, reads and plans again (at most `tries` times).
 * `attempt` answers either a plan and how to answer once it is committed, or an answer at once
 * (nothing to write).
 */
export async function planAndCommit<T>(
  store: PlanCommitter,
  attempt: () => Promise<{ plan: Plan; answer: (c: Committed) => T; onCommitted?: (c: Committed) => void } | { done: T }>,
  tries = 8,
): Promise<T> {
  for (let i = 1; ; i++) {
    const next = await attempt();
    if ('done' in next) return next.done;
    try {
      return next.answer(await store.commit(next.plan, next.onCommitted));
    } catch (err) {
      if (!(err instanceof PlanConflict) || i >= tries) throw err;
    }
  }
}
