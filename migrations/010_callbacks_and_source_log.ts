// Frozen: callbacks to the sources (API.md §7) and the per-source delivery log.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Which sources have a callback configured (URL only; the secret never leaves the environment).
  // Written at every start from the configuration, read by the write transaction.
  await db.schema.createTable('source_callbacks')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // One row per callback event and report: queued in the commit that caused it, delivered in
  // `seq` order per report. `id` is the Standard Webhooks `webhook-id`, stable across retries.
  await db.schema.createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | sent | dead
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('first_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('claim', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('callbacks_due').on('callbacks').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('callbacks_report').on('callbacks').columns(['report_id', 'seq']).execute();
  await db.schema.createIndex('callbacks_source').on('callbacks').columns(['source', 'status']).execute();

  // Inbound deliveries by answer: a counter per (source, HTTP status), with the last detail.
  await db.schema.createTable('source_log')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('last_detail', 'text')
    .addPrimaryKeyConstraint('source_log_pk', ['source', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('source_log').execute();
  await db.schema.dropTable('callbacks').execute();
  await db.schema.dropTable('source_callbacks').execute();
}
