// Frozen: the de-duplication index — postings of rare features to recent leads, document
// frequencies, and each report's fingerprint (DESIGN.md "Duplicates").
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('dedupe_posting')
    .addColumn('feature', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('weight', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dedupe_posting_lookup').on('dedupe_posting').columns(['feature', 'posted_at']).execute();

  // On SQLite the counts live in the primary-key tree itself (WITHOUT ROWID): an upsert touches one
  // page instead of an index page and a table page, which halves what each intake commit writes.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.createTable('dedupe_df')
    .addColumn('feature', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .$call((t) => (sqlite ? t.modifyEnd(sql`without rowid`) : t))
    .execute();

  await db.schema.createTable('dedupe_fingerprint')
    .addColumn('report_id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dedupe_fingerprint_lead').on('dedupe_fingerprint').columns(['lead_id', 'reported_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
