// Loads the directory (built-in or from XIANSUO_CONFIG) and the channels into the database.
import type { Kysely } from 'kysely';
import type { Directory } from '../domain/directory.ts';
import type { ChannelInfo } from '../domain/channels.ts';
import type { DB } from './schema/index.ts';

/** `channels`: every channel with its label (config.channels: the registered sources, bureau, public). */
export async function seedDirectory(db: Kysely<DB>, dir: Directory, at: string, channels: readonly ChannelInfo[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const { name: code, label } of channels) {
      await tx.insertInto('sources').values({ code, name: label, created_at: at })
        .onConflict((oc) => oc.column('code').doNothing()).execute();
    }
    for (const a of dir.agencies) {
      const row = {
        code: a.code, name: a.name, kind: a.kind, email: a.email, head_email: a.headEmail,
        township: a.township ?? null, robots: JSON.stringify(a.robots ?? []), updated_at: at,
      };
      await tx.insertInto('agencies').values(row)
        .onConflict((oc) => oc.column('code').doUpdateSet({
          name: row.name, kind: row.kind, email: row.email, head_email: row.head_email,
          township: row.township, robots: row.robots, updated_at: at,
        })).execute();
    }
  });
}
