import { Migrator, PostgresAdapter, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.ts';

/** `schema`: where the migration bookkeeping lives when the connection's search path is not the default. */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  // Kysely looks for its bookkeeping tables in every schema when none is named: with a search path
  // set from outside (PGOPTIONS), another schema's tables would be taken for this one's. Name it.
  if (!schema && db.getExecutor().adapter instanceof PostgresAdapter) {
    schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? undefined;
  }
  const migrator = new Migrator({
    db, provider: { getMigrations: async () => MIGRATIONS }, ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}
