import { Migrator, PostgresAdapter, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.ts';

/** `schema`: where the migration bookkeeping lives when the connection's search path is not the default. */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  // Without one, PostgreSQL's bookkeeping goes in the connection's current schema (a search_path set
  // through PGOPTIONS): Kysely would otherwise look for its lock table in every schema, take another
  // schema's for its own, and fail with 'relation "kysely_migration_lock" does not exist'.
  if (!schema && db.getExecutor().adapter instanceof PostgresAdapter) {
    schema = (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ?? undefined;
  }
  const migrator = new Migrator({
    db, provider: { getMigrations: async () => MIGRATIONS }, ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}
