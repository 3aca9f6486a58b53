// Frozen once shipped: statistics that read only the period's leads, published results (公示), campaigns (专项整治).
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

  // 专项整治: a campaign and the leads tagged to it (by its rule or by hand).
  await db.schema.createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('agencies', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('call_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | closed
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createTable('campaign_leads')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull()) // rule | hand
    .addColumn('tagged_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_leads_pk', ['campaign_id', 'lead_id'])
    .execute();
  await db.schema.createIndex('campaign_leads_lead').on('campaign_leads').column('lead_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
