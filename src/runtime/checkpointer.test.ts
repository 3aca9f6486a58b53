import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.ts';

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
}

describe('checkpointer', () => {
  it('copies the WAL into the database file from its own thread while the writer never checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-ckpt-'));
    const file = join(dir, 'x.db');
    const writer = new SQLite(file);
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('create table t (id integer primary key, data blob)');
      const insert = writer.prepare('insert into t (data) values (?)');
      for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(32 * 1024, i));
      const before = statSync(file).size;
      expect(before).toBeLessThan(64 * 1024);
      const errors: string[] = [];
      const checkpointer = startCheckpointer(file, (e) => errors.push(e), { walBytes: 1, intervalMs: 20 });
      try {
        expect(await until(() => statSync(file).size > 2 * 1024 * 1024)).toBe(true);
        // The writer goes on writing meanwhile, and what it wrote is all there.
        insert.run(Buffer.alloc(1024, 1));
        expect(writer.prepare('select count(*) from t').pluck().get()).toBe(65);
        expect(errors).toEqual([]);
      } finally {
        await checkpointer.close();
      }
    } finally {
      writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a database it cannot checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-ckpt-'));
    const file = join(dir, 'x.db');
    writeFileSync(file, 'not a database'.repeat(1000));
    writeFileSync(`${file}-wal`, 'x'.repeat(100));
    const errors: string[] = [];
    const checkpointer = startCheckpointer(file, (e) => errors.push(e), { walBytes: 1, intervalMs: 20 });
    try {
      expect(await until(() => errors.length > 0)).toBe(true);
      expect(errors[0]).toMatch(/not a database|malformed/i);
    } finally {
      await checkpointer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
