// Frozen once shipped: statistics that read only the period's leads, and published results (公示).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Covers the period's grouped count and its joins (id): a range scan of the period, no table reads.
  await db.schema.createIndex('leads_stats').on('leads').columns([
    'created_at', 'id', 'status', 'domain', 'township', 'routing_transfer', 'report_count', 'channels', 'problem_types',
  ]).execute();
  // Routing accuracy reads the primary assignments made in its window.
  await db.schema.createIndex('assignments_assigned').on('assignments').columns(['assigned_at', 'role']).execute();

  // One row per lead the bureau published (公示): only what the public may read, masked when written.
  await db.schema.createTable('publications')
    .addColumn('lead_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull()) // published | withdrawn
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('agency', 'text')
    .addColumn('domain', 'text')
    .addColumn('problem_types', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('publications_list').on('publications').columns(['status', 'published_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
