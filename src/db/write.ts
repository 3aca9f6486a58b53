// Every write goes through here: one transaction that first takes the chain head (a write
// lock on SQLite, a row lock on PostgreSQL), then does its work, then appends its events
// to the hash-chained full-process record and moves the head.
import type { Kysely, Transaction } from 'kysely';
import { chain, type EventDraft } from '../domain/audit.ts';
import type { DB } from './schema/index.ts';

export type Tx = Transaction<DB>;

export interface Recorder {
  record(...events: EventDraft[]): void;
}

export async function write<T>(db: Kysely<DB>, work: (tx: Tx, rec: Recorder) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    // Updating the head first serialises writers before anything is read.
    await tx.updateTable('audit_head').set((eb) => ({ touched_at: eb.ref('touched_at') })).where('id', '=', 1).execute();
    const head = await tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    const pending: EventDraft[] = [];
    const result = await work(tx, { record: (...e) => pending.push(...e) });
    if (pending.length > 0) {
      const chained = chain({ seq: Number(head.seq), hash: head.hash }, pending);
      await tx.insertInto('events').values(chained.map((e) => ({
        seq: e.seq, lead_id: e.leadId, report_id: e.reportId, actor: e.actor, action: e.action,
        at: e.at, data: e.data, prev_hash: e.prevHash, hash: e.hash,
      }))).execute();
      const last = chained[chained.length - 1]!;
      await tx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash, touched_at: last.at }).where('id', '=', 1).execute();
    }
    return result;
  });
}

/** Next value of a named counter, inside the caller's transaction. */
export async function nextCounter(tx: Tx, name: string): Promise<number> {
  const row = await tx.insertInto('counters').values({ name, last: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ last: eb('counters.last', '+', 1) })))
    .returning('last').executeTakeFirstOrThrow();
  return Number(row.last);
}
