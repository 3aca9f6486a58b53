// Frozen: web sign-in — sessions (cookie id stored hashed), one-time sign-in links, and the indexes
// of the bureau's queue filters (township, channel, overdue and due soon).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey()) // SHA-256 of the cookie's random 128-bit id
    .addColumn('token_id', 'text', (c) => c.notNull()) // the bearer token it came from: revoking it ends the session
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('agency', 'text')
    .addColumn('supervisor_id', 'text')
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull()) // absolute expiry
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('sessions_token').on('sessions').column('token_id').execute();

  await db.schema.createTable('login_links')
    .addColumn('hash', 'text', (c) => c.primaryKey()) // SHA-256 of the link's code
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema.createIndex('leads_township_created').on('leads').columns(['township', 'created_at']).execute();
  await db.schema.createIndex('reports_source_lead').on('reports').columns(['source', 'lead_id']).execute();
  await db.schema.createIndex('assignments_status_due').on('assignments').columns(['status', 'due_at']).execute();
  // Leads with an extension request waiting: few at any time, found without reading every lead.
  await db.schema.createIndex('leads_pending_extension').on('leads').columns(['status', 'created_at'])
    .where(sql.ref('lifecycle'), 'like', '%"pendingExtension"%').execute();
  await db.schema.createIndex('assignments_status_ack_due').on('assignments').columns(['status', 'ack_due_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
