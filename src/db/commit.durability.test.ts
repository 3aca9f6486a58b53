import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coalesce, sqlBackend } from './commit.ts';
import { walSync } from '../runtime/walSync.ts';
import { connect } from '../runtime/database.ts';
import { migrateToLatest } from './migrate.ts';
import { write } from './commit.ts';

describe('coalesce', () => {
  /** A sync whose runs the test finishes by hand, recording when each started. */
  function manualSync() {
    const runs: { started: number; finish(): void; fail(e: Error): void }[] = [];
    let clock = 0;
    const sync = () => new Promise<void>((resolve, reject) => {
      runs.push({ started: ++clock, finish: resolve, fail: reject });
    });
    return { runs, sync, tick: () => ++clock };
  }

  it('answers a caller only after a run that started after its call, sharing runs among callers', async () => {
    const { runs, sync } = manualSync();
    const flush = coalesce(sync);
    const order: string[] = [];
    const a = flush().then(() => order.push('a'));
    expect(runs).toHaveLength(1);
    // b and c arrive while the first run is under way: it may predate their commits.
    const b = flush().then(() => order.push('b'));
    const c = flush().then(() => order.push('c'));
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await a;
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a']);
    // One more run, shared by b and c.
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await Promise.all([b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(runs).toHaveLength(2);
  });

  it('passes a failed sync to its callers and recovers for the next ones', async () => {
    const { runs, sync } = manualSync();
    const flush = coalesce(sync);
    const a = flush();
    const b = flush();
    runs[0]!.fail(new Error('EIO'));
    await expect(a).rejects.toThrow('EIO');
    await new Promise((r) => setImmediate(r));
    runs[1]!.finish();
    await expect(b).resolves.toBeUndefined();
    const c = flush();
    runs[2]!.finish();
    await expect(c).resolves.toBeUndefined();
  });
});

describe('durable commits on a SQLite file', () => {
  it('tells the writer when its WAL cannot be synced, though the commit stands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-durable-'));
    try {
      const database = connect(join(dir, 'x.db'));
      await migrateToLatest(database.db);
      const insert = (name: string) => write(database.db, async (tx) => {
        await tx.insertInto('counters').values({ name, last: 1 }).execute();
        return name;
      });
      await expect(insert('one')).resolves.toBe('one');
      // The disk under the WAL is gone: the commit went through, but nobody is told it is safe.
      const lost = sqlBackend({ db: database.db, dialect: 'sqlite', commitSync: walSync(join(dir, 'gone', 'x.db-wal')) });
      await expect(lost.write!(async (tx) => {
        await tx.insertInto('counters').values({ name: 'two', last: 1 }).execute();
      })).rejects.toThrow(/ENOENT/);
      const names = (await database.db.selectFrom('counters').select('name').execute()).map((r) => r.name);
      expect(names).toEqual(expect.arrayContaining(['one', 'two']));
      await database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
