// Frozen: never edit a migration that has shipped; add a new one instead.
// A `webhook-id` is unique per source, not across sources (API.md §2): two sources that both
// send `evt-1` are two deliveries. deliveries is keyed by (source, webhook_id); the reports'
// webhook_id (the first delivery's id) loses its global UNIQUE for one on (source, webhook_id).
// Existing rows carry over as they are (ids unique everywhere are unique per source too).
// SQLite cannot drop a constraint: both tables are rebuilt, in one transaction, with the
// columns they had after 005 (001's definition; 002–005 did not touch them).
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    // PostgreSQL names a column's UNIQUE "{table}_{column}_key" and a primary key "{table}_pkey".
    await sql`alter table reports drop constraint if exists reports_webhook_id_key`.execute(db);
    await sql`alter table deliveries drop constraint if exists deliveries_pkey`.execute(db);
    await sql`alter table deliveries add constraint deliveries_pkey primary key (source, webhook_id)`.execute(db);
    await db.schema.createIndex('reports_source_webhook').unique().on('reports').columns(['source', 'webhook_id']).execute();
    return;
  }
  await db.transaction().execute(async (tx) => {
    await tx.schema.createTable('deliveries_006')
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('body_hash', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('deliveries_pk', ['source', 'webhook_id'])
      .execute();
    await sql`insert into deliveries_006 (webhook_id, source, body_hash, report_id, received_at)
      select webhook_id, source, body_hash, report_id, received_at from deliveries`.execute(tx);
    await tx.schema.dropTable('deliveries').execute();
    await tx.schema.alterTable('deliveries_006').renameTo('deliveries').execute();

    await tx.schema.createTable('reports_006')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('webhook_id', 'text')
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('reported_at', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('township', 'text')
      .addColumn('subject', 'text')
      .addColumn('category', 'text')
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('reporter_name', 'text')
      .addColumn('reporter_phone', 'text')
      .addColumn('confidential', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('supervisor_id', 'text')
      .addColumn('outlet', 'text')
      .addColumn('url', 'text')
      .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('duplicate', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('answer', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addUniqueConstraint('reports_source_external', ['source', 'external_id'])
      .execute();
    await sql`insert into reports_006 select * from reports`.execute(tx);
    await tx.schema.dropTable('reports').execute();
    await tx.schema.alterTable('reports_006').renameTo('reports').execute();
    await tx.schema.createIndex('reports_lead').on('reports').column('lead_id').execute();
    await tx.schema.createIndex('reports_supervisor').on('reports').column('supervisor_id').execute();
    await tx.schema.createIndex('reports_source_webhook').unique().on('reports').columns(['source', 'webhook_id']).execute();
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
