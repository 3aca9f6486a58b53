// Loads the directory (built-in or from XIANSUO_CONFIG) and the channels into the database.
import type { Kysely } from 'kysely';
import type { Directory } from '../domain/directory.ts';
import type { ChannelInfo } from '../domain/channels.ts';
import type { DB } from './schema/index.ts';

/**
 * The upserts that load the directory and the channels (idempotent): run in one transaction on
 * SQLite and PostgreSQL (seedDirectory), in one batch on D1 (src/runtime/workerDeps.ts).
 * `channels`: every channel with its label (config.channels: the registered sources, bureau, public).
 */
export function seedQueries(db: Kysely<DB>, dir: Directory, at: string, channels: readonly ChannelInfo[]) {
  const sources = channels.map(({ name: code, label }) => db.insertInto('sources').values({ code, name: label, created_at: at })
    .onConflict((oc) => oc.column('code').doNothing()));
  const agencies = dir.agencies.map((a) => {
    const row = {
      code: a.code, name: a.name, kind: a.kind, email: a.email, head_email: a.headEmail,
      township: a.township ?? null, robots: JSON.stringify(a.robots ?? []), updated_at: at,
    };
    return db.insertInto('agencies').values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet({
        name: row.name, kind: row.kind, email: row.email, head_email: row.head_email,
        township: row.township, robots: row.robots, updated_at: at,
      }));
  });
  return [...sources, ...agencies];
}

export async function seedDirectory(db: Kysely<DB>, dir: Directory, at: string, channels: readonly ChannelInfo[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const q of seedQueries(tx, dir, at, channels)) await q.execute();
  });
}
