// Frozen: rectification tracking — lifecycle details, reminders, the outbox, follow-ups, calendar overrides.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // JSON: pending extension, reopened flag and count, follow-ups since the last close.
  await db.schema.alterTable('leads').addColumn('lifecycle', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  // SQLite adds one column per statement.
  for (const [name, type] of [
    ['ack_basis', 'text'], ['due_basis', 'text'], ['deadline_version', 'integer'], ['acknowledged_at', 'text'],
    ['closed_at', 'text'], ['detail', 'text'], ['next_reminder_at', 'text'],
  ] as const) {
    await db.schema.alterTable('assignments').addColumn(name, type).execute();
  }
  await db.schema.createIndex('assignments_next_reminder').on('assignments').column('next_reminder_at').execute();
  await db.schema.createIndex('assignments_provisional').on('assignments').columns(['calendar_provisional', 'status']).execute();

  // One row per reminder ever decided: the unique key makes every stage happen once.
  await db.schema.createTable('reminders')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminders_pk', ['assignment_id', 'key'])
    .execute();

  // Messages to send, written in the same commit as the decision to send them.
  await db.schema.createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull()) // mail | robot
    .addColumn('lead_id', 'text')
    .addColumn('agency', 'text')
    .addColumn('message', 'text', (c) => c.notNull()) // JSON: recipients, subject, text, html / robot + text
    .addColumn('status', 'text', (c) => c.notNull()) // pending | sent | dead
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('first_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('claim', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema.createTable('follow_ups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | done
    .addColumn('satisfied', 'integer')
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addUniqueConstraint('follow_ups_once', ['lead_id', 'report_id', 'round'])
    .execute();

  // The bureau's override table of the working-day calendar, one JSON document per year.
  await db.schema.createTable('calendar_overrides')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Once-a-day work (the agencies' digests): the unique key makes each happen once.
  await db.schema.createTable('job_runs')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
