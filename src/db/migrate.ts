import { Migrator, PostgresAdapter, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.ts';

/**
 * `schema`: where the migration bookkeeping lives when the connection's search path is not the
 * default. On PostgreSQL without one, the connection's current schema is named: unnamed, Kysely
 * looks for its bookkeeping tables in every schema of the database, and another schema's (another
 * application's, another instance's) would be taken for ours.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  const where = schema ?? (db.getExecutor().adapter instanceof PostgresAdapter
    ? (await sql<{ s: string | null }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? undefined
    : undefined);
  const migrator = new Migrator({
    db, provider: { getMigrations: async () => MIGRATIONS }, ...(where ? { migrationTableSchema: where } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}
