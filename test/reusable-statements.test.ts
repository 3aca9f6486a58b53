// Statements compiled once per transaction (src/db/reusable.ts), on each database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.ts';
import { reusable } from '../src/db/reusable.ts';
import { logDocument } from '../src/db/stores/docFreq.ts';
import { nextCounter, write } from '../src/db/commit.ts';
import type { Tx } from '../src/db/tx.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';

describe.each(await dialects())('reusable statements on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await migrateToLatest(database.db);
  });
  afterAll(async () => database.drop());

  it('run with each call\'s own values, within one transaction and in the next', async () => {
    const take = (tx: Tx) => Promise.all([nextCounter(tx, 'test-a'), nextCounter(tx, 'test-a'), nextCounter(tx, 'test-b')]);
    expect(await write(database.db, take)).toEqual([1, 2, 1]);
    expect(await write(database.db, take)).toEqual([3, 4, 2]);
    // Writes that share a group commit share its transaction.
    const [x, y] = await Promise.all([write(database.db, (tx) => nextCounter(tx, 'test-c')), write(database.db, (tx) => nextCounter(tx, 'test-c'))]);
    expect([x, y].sort()).toEqual([1, 2]);
  });

  it('pass every kind of value through: text, numbers and bytes', async () => {
    const hashes = Uint32Array.from([7, 0xffffffff, 123456]);
    await write(database.db, async (tx) => {
      await logDocument(tx, 901, 'RP-T-1', hashes, '2026-03-02T02:00:00.000Z');
      await logDocument(tx, 902, 'RP-T-2', hashes.subarray(1), '2026-03-02T02:00:01.000Z');
    });
    const rows = await database.db.selectFrom('dedupe_df_log').selectAll().where('seq', 'in', [901, 902]).orderBy('seq').execute();
    expect(rows.map((r) => [Number(r.seq), r.report_id, [...new Uint32Array(Uint8Array.from(r.hashes).buffer)], r.created_at])).toEqual([
      [901, 'RP-T-1', [7, 0xffffffff, 123456], '2026-03-02T02:00:00.000Z'],
      [902, 'RP-T-2', [0xffffffff, 123456], '2026-03-02T02:00:01.000Z'],
    ]);
  });

  it('refuses a statement that does not take each argument as a parameter', async () => {
    const wrong = reusable(2, (tx: Tx, name: string, _unused: string) => tx.selectFrom('counters').select('last').where('name', '=', name));
    await expect(write(database.db, (tx) => wrong(tx, 'test-a', 'x'))).rejects.toThrow(/1 of 2 arguments are not parameters/);
  });
});
