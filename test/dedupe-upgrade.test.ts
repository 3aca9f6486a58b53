// Migrations 005 and 011 on a store written before them: exact document frequencies and posting rows are
// carried into the sketch and the fingerprint rows, on every database.
import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { DocFreq } from '../src/db/stores/docFreq.ts';
import { Postings } from '../src/db/stores/dedupe.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';

describe.each(await dialects())('upgrading the de-duplication index (migrations 005 and 011) on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => { await database.drop(); });

  it('carries exact counts into the sketch and posting rows into fingerprint rows, then drops the old tables', async () => {
    database = await freshDatabase(dialect);
    const { db } = database;
    const migrator = new Migrator({
      db, provider: { getMigrations: async () => MIGRATIONS }, ...(database.pgSchema ? { migrationTableSchema: database.pgSchema } : {}),
    });
    const to004 = await migrator.migrateTo('004_dedupe_pending');
    expect(to004.error).toBeUndefined();
    const at = ['2026-03-01T01:00:00.000Z', '2026-03-02T01:00:00.000Z'] as const;
    await db.insertInto('dedupe_fingerprint' as never).values([
      { report_id: 'RP-1', lead_id: 'XS-1', reported_at: at[0], data: '{}' },
      { report_id: 'RP-2', lead_id: 'XS-1', reported_at: at[1], data: '{}' },
    ] as never).execute();
    await (db as any).insertInto('dedupe_posting').values([
      { feature: 'place:金桂苑', posted_at: at[0], lead_id: 'XS-1', weight: 9 },
      { feature: '占道经', posted_at: at[0], lead_id: 'XS-1', weight: 5 },
      { feature: 'place:金桂苑', posted_at: at[1], lead_id: 'XS-1', weight: 9 },
    ]).execute();
    await (db as any).insertInto('dedupe_df').values([{ feature: 'place:金桂苑', n: 2 }, { feature: '占道经', n: 1 }]).execute();
    await (db as any).insertInto('dedupe_df_pending').values({ report_id: 'RP-3', features: JSON.stringify(['place:金桂苑', '噪音']), created_at: at[1] }).execute();
    await db.insertInto('counters').values({ name: 'dedupe-docs', last: 2 }).execute();

    await migrateToLatest(db, database.pgSchema);

    const rows = await db.selectFrom('dedupe_fingerprint').select(['report_id', 'postings', 'seq']).orderBy('report_id').execute();
    expect(rows.map((r) => [r.report_id, r.postings?.split('\n').sort() ?? null, r.seq])).toEqual([
      ['RP-1', ['place:金桂苑', '占道经'].sort(), null],
      ['RP-2', ['place:金桂苑'], null],
    ]);
    const window = await new Postings(db).current('2026-02-01T00:00:00.000Z');
    expect(window.candidates(['占道经'], '2026-02-01T00:00:00.000Z', 5)).toEqual([{ leadId: 'XS-1', hits: ['占道经'] }]);

    const freq = new DocFreq(db);
    const sketch = await freq.current();
    expect([sketch.docs, sketch.count('place:金桂苑'), sketch.count('占道经'), sketch.count('噪音')]).toEqual([3, 3, 1, 1]);
    // Migration 011 folded the exact counts into a snapshot and dropped their tables.
    await expect((db as any).selectFrom('dedupe_df').select('feature').execute()).rejects.toThrow();
    await expect((db as any).selectFrom('dedupe_df_pending').select('report_id').execute()).rejects.toThrow();
    expect((await db.selectFrom('dedupe_sketch').select('part').execute()).length).toBeGreaterThan(0);
    const reloaded = await new DocFreq(db).current();
    expect([reloaded.docs, reloaded.count('place:金桂苑'), reloaded.count('占道经'), reloaded.count('噪音')]).toEqual([3, 3, 1, 1]);
  });
});
