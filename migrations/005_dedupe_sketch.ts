// Frozen: the de-duplication index moves into memory (every instance rebuilds it from these rows).
// - Document frequencies become a count-min sketch (src/domain/dedupe/sketch.ts): a snapshot in
//   dedupe_sketch plus a log of the reports counted since (dedupe_df_log). dedupe_df and
//   dedupe_df_pending (exact counts) are read once into the first snapshot, then emptied.
// - The posting rows (dedupe_posting: 40 per report, scattered over an index) become one column
//   of the report's fingerprint row; fingerprint rows get the seq that instances follow.
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const bytes = sqlite ? 'blob' : 'bytea';
  // One row per report, written in its intake commit: the 32-bit hashes of its distinct features.
  // seq comes from the counter 'dedupe-log' (taken under the writers' lock, so in commit order).
  await db.schema.createTable('dedupe_df_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('hashes', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The snapshot: the sketch's counters in equal parts, in order; its document count and the last
  // log seq it holds are the counters 'dedupe-docs' and 'dedupe-sketch-seq'.
  await db.schema.createTable('dedupe_sketch')
    .addColumn('part', 'integer', (c) => c.primaryKey())
    .addColumn('data', bytes, (c) => c.notNull())
    .execute();

  // The same seq as the report's log row (null for rows written before this migration);
  // postings: the features the report is posted under, one per line.
  await db.schema.alterTable('dedupe_fingerprint').addColumn('seq', 'bigint').execute();
  await db.schema.alterTable('dedupe_fingerprint').addColumn('postings', 'text').execute();
  await db.schema.createIndex('dedupe_fingerprint_seq').unique().on('dedupe_fingerprint').column('seq').execute();
  await db.schema.createIndex('dedupe_fingerprint_time').on('dedupe_fingerprint').column('reported_at').execute();
  // A lead's reports are found in the posting window now: one index less to write per report.
  await db.schema.dropIndex('dedupe_fingerprint_lead').execute();
  await db.schema.createIndex('dedupe_posting_report').on('dedupe_posting').columns(['lead_id', 'posted_at']).execute();
  const joined = sqlite ? sql`group_concat(p.feature, char(10))` : sql`string_agg(p.feature, E'\n')`;
  await sql`update dedupe_fingerprint set postings = (select ${joined} from dedupe_posting p
    where p.lead_id = dedupe_fingerprint.lead_id and p.posted_at = dedupe_fingerprint.reported_at)`.execute(db);
  await db.schema.dropTable('dedupe_posting').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
