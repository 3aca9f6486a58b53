// Frozen once shipped: the leads a person took out of a campaign (专项整治) by hand, so that its
// rule, applied again on every sweep, does not put them back.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('campaign_exclusions')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('excluded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_exclusions_pk', ['campaign_id', 'lead_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
