// Frozen: never edit a migration that has shipped; add a new one instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sources')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('agencies')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('head_email', 'text', (c) => c.notNull())
    .addColumn('township', 'text')
    .addColumn('robots', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema.createTable('leads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('township', 'text')
    .addColumn('subject', 'text')
    .addColumn('category', 'text')
    .addColumn('routing_agency', 'text')
    .addColumn('routing_transfer', 'text')
    .addColumn('routing_reason', 'text')
    .addColumn('routing_detail', 'text')
    .addColumn('problem_types', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('domain', 'text')
    .addColumn('candidates', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('channels', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('leads_status_created').on('leads').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('leads_created').on('leads').columns(['created_at']).execute();
  await db.schema.createIndex('leads_merged_into').on('leads').column('merged_into').execute();

  await db.schema.createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.unique())
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
    // The JSON body of the first 2xx answer, repeated verbatim to every redelivery.
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addUniqueConstraint('reports_source_external', ['source', 'external_id'])
    .execute();
  await db.schema.createIndex('reports_lead').on('reports').column('lead_id').execute();
  await db.schema.createIndex('reports_supervisor').on('reports').column('supervisor_id').execute();

  await db.schema.createTable('report_revisions')
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('webhook_id', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_revisions_pk', ['report_id', 'revision'])
    .execute();

  // Every accepted webhook delivery, by its webhook-id: redelivery (200) and conflict (409) detection.
  await db.schema.createTable('deliveries')
    .addColumn('webhook_id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('agency', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('ack_due_at', 'text')
    .addColumn('due_at', 'text')
    .addColumn('calendar_provisional', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assignments_lead').on('assignments').column('lead_id').execute();
  await db.schema.createIndex('assignments_agency').on('assignments').columns(['agency', 'status']).execute();

  await db.schema.createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('agency', 'text')
    .addColumn('supervisor_id', 'text')
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  // The full-process record: append-only, hash-chained by seq.
  await db.schema.createTable('events')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('lead_id', 'text')
    .addColumn('report_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_lead').on('events').columns(['lead_id', 'seq']).execute();

  // One row: the head of the chain. Every write transaction updates it first, which
  // serialises writers on SQLite (write lock) and PostgreSQL (row lock) alike.
  await db.schema.createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('touched_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash, touched_at) values (1, 0, ${GENESIS}, '')`.execute(db);
}

const GENESIS = '0'.repeat(64); // the chain's start; equals GENESIS_HASH in src/domain/audit.ts

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
