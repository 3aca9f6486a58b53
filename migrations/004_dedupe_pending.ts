// Frozen: document-frequency increments wait here, one row per report, written in the intake
// commit; a job folds them into dedupe_df in batches (frequencies may lag by seconds).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('dedupe_df_pending')
    .addColumn('report_id', 'text', (c) => c.primaryKey())
    /** JSON array of the report's distinct features. */
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
