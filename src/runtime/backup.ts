// A consistent copy of a SQLite database while the service runs: SQLite's online backup API
// (better-sqlite3's backup()), from a connection of its own. Large steps keep the copy to few
// steps, so that writes by the service in between rarely make SQLite start it over.
import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { isPostgresUrl } from './database.ts';

export interface BackupResult {
  totalPages: number;
  bytes: number;
  integrity: string;
}

export async function backupSqlite(url: string, destination: string): Promise<BackupResult> {
  if (isPostgresUrl(url)) {
    throw new Error('PostgreSQL 数据库请用 pg_dump 备份，例如：pg_dump --format=custom --file=xiansuo.dump "$DATABASE_URL"（恢复：pg_restore --clean --dbname="$DATABASE_URL" xiansuo.dump）');
  }
  if (url === ':memory:') throw new Error('内存数据库（DATABASE_URL=:memory:）无法备份');
  if (!existsSync(url)) throw new Error(`数据库文件 ${url} 不存在（DATABASE_URL）`);
  if (existsSync(destination)) throw new Error(`目标文件 ${destination} 已存在，不会覆盖；请换一个文件名`);
  const source = new SQLite(url, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    const meta = await source.backup(destination, { progress: () => 1 << 20 });
    const copy = new SQLite(destination, { readonly: true, fileMustExist: true });
    try {
      const integrity = String(copy.pragma('integrity_check', { simple: true }));
      const pages = Number(copy.pragma('page_count', { simple: true }));
      const size = Number(copy.pragma('page_size', { simple: true }));
      return { totalPages: meta.totalPages, bytes: pages * size, integrity };
    } finally {
      copy.close();
    }
  } finally {
    source.close();
  }
}
