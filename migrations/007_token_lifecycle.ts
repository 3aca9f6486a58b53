// Frozen: tokens get a life cycle (expiry, last use), and the full-process record gets what makes
// it hold against someone who can write to the database:
// - events.state: after each write, the recorded state of every lead the write named (status,
//   agency, each assignment's agency, status and deadlines), so `audit verify` can compare it with
//   the rows; it is part of the entry's hash when present (older entries have none and hash as before);
// - audit_head.keyed_from / key_id / key_mac: from which seq on the chain is an HMAC-SHA-256 under
//   XIANSUO_AUDIT_KEY (entries before it keep their plain SHA-256), the key's id, and a MAC of both
//   under the key, so that the start of the keyed part cannot be moved without the key.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // SQLite adds one column per statement.
  await db.schema.alterTable('tokens').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('last_used_at', 'text').execute();
  await db.schema.alterTable('events').addColumn('state', 'text').execute();
  await db.schema.alterTable('audit_head').addColumn('keyed_from', 'bigint').execute();
  await db.schema.alterTable('audit_head').addColumn('key_id', 'text').execute();
  await db.schema.alterTable('audit_head').addColumn('key_mac', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
