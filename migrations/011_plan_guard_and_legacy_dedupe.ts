// Frozen: the commit of a plan (src/db/commit.ts), and the end of the exact de-duplication counts.
// - plan_guard: never holds a row. A plan's guard is `insert into plan_guard (ok) select 0 where
//   <the fact no longer holds>`; CHECK (ok = 1) makes that insert, and with it the plan's whole
//   transaction or D1 batch, fail.
// - leads.version: moved by every write to a lead, so that a plan decided on a lead's state can
//   guard that the lead is still as it was read.
// - dedupe_df and dedupe_df_pending (the exact counts from before 005) are dropped. A database
//   whose counts were never folded into a sketch snapshot gets that snapshot here first, as
//   DocFreq built it at start before (the counts, the pending reports, the log rows after them).
import { sql, type Kysely } from 'kysely';
import { CountMinSketch, DEFAULT_SKETCH_BITS, hash32 } from '../src/domain/dedupe/sketch.ts';

const PARTS = 64;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('plan_guard')
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addCheckConstraint('plan_guard_failed', sql`ok = 1`)
    .execute();
  await db.schema.alterTable('leads').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  const snapshot = await db.selectFrom('dedupe_sketch').select('part').limit(1).execute();
  const counted = await db.selectFrom('dedupe_df').select('feature').limit(1).execute();
  const pending = await db.selectFrom('dedupe_df_pending').select('features').execute();
  if (snapshot.length === 0 && (counted.length > 0 || pending.length > 0)) {
    const sketch = new CountMinSketch(DEFAULT_SKETCH_BITS);
    for (let after = ''; ;) {
      const rows = await db.selectFrom('dedupe_df').select(['feature', 'n'])
        .where('feature', '>', after).orderBy('feature').limit(2000).execute();
      for (const r of rows) sketch.addCount(hash32(r.feature), Number(r.n));
      if (rows.length < 2000) break;
      after = rows[rows.length - 1]!.feature;
    }
    const docs = await db.selectFrom('counters').select('last').where('name', '=', 'dedupe-docs').executeTakeFirst();
    sketch.docs = docs ? Number(docs.last) : 0;
    for (const p of pending) sketch.addDocument(JSON.parse(p.features) as string[]);
    // The snapshot holds no log row (its seq stays 0): every instance applies the log on top.
    const parts = sketch.toParts(PARTS);
    for (let part = 0; part < parts.length; part++) {
      const data = Buffer.from(parts[part]!);
      await db.insertInto('dedupe_sketch').values({ part, data }).execute();
    }
    await db.insertInto('counters').values({ name: 'dedupe-docs', last: sketch.docs })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last: sketch.docs })).execute();
  }
  await db.schema.dropTable('dedupe_df_pending').execute();
  await db.schema.dropTable('dedupe_df').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
