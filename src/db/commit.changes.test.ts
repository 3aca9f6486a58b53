import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChangeGate } from '../domain/dedupe/changeGate.ts';
import { changeGate } from './commit.ts';
import { connect } from '../runtime/database.ts';
import { migrateToLatest } from './migrate.ts';

describe('ChangeGate', () => {
  it('says "read the tables" without a probe, every time', () => {
    const gate = new ChangeGate(undefined);
    expect(gate.check()).toEqual({ version: undefined });
    gate.saw(undefined);
    expect(gate.check()).toEqual({ version: undefined });
  });

  it('fed locally, reads the tables first, then only when marked stale, and never loses a mark made during a read', () => {
    const gate = new ChangeGate(() => 1);
    gate.fedLocally();
    const first = gate.check();
    expect(first).not.toBeNull();
    gate.saw(first!.version);
    expect(gate.check()).toBeNull();
    gate.markStale();
    const read = gate.check();
    expect(read).not.toBeNull();
    // Another writer commits while the tables are being read: that read may have missed it.
    gate.markStale();
    gate.saw(read!.version);
    const again = gate.check();
    expect(again).not.toBeNull();
    gate.saw(again!.version);
    expect(gate.check()).toBeNull();
  });

  it('follows the commits of another SQLite connection through data_version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-changes-'));
    try {
      const database = connect(join(dir, 'x.db'));
      await migrateToLatest(database.db);
      const gate = changeGate(database.reader);
      const first = gate.check();
      expect(first).not.toBeNull();
      gate.saw(first!.version);
      expect(gate.check()).toBeNull();
      // A commit on the writer's connection moves the reader's data_version.
      await database.db.insertInto('counters').values({ name: 'x', last: 1 }).execute();
      const next = gate.check();
      expect(next).not.toBeNull();
      gate.saw(next!.version);
      expect(gate.check()).toBeNull();
      await database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
