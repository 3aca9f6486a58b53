// De-duplication in a worker thread: the same decisions as in the request thread, on every
// database, and a failing worker never loses a report.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexRows, sqlDedupeIndex } from '../src/db/stores/dedupe.ts';
import { DEFAULT_DEDUPE_CONFIG, dedupe } from '../src/domain/dedupe/index.ts';
import { dedupeThread } from '../src/runtime/dedupeThread.ts';
import { samples as hotline } from '../webhooks/hotline.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

describe.each(await dialects())('de-duplication worker thread on %s', (dialect) => {
  let t: TestApp;
  let first: { leadId: string };
  const repost = {
    title: '梅湾街道菱角塘市场城管暴力执法', reportedAt: '2026-03-02T10:00:00.000Z', township: '梅湾街道',
    content: `转发：${hotline.valid.content}`,
  };

  beforeAll(async () => {
    t = await testApp(dialect, { env: { XIANSUO_DEDUPE_THREAD: 'off' } });
    first = await (await t.deliver('hotline', hotline.valid)).json();
  });
  afterAll(async () => { await t.close(); });

  it('decides in the worker as the request thread does, reading what was committed', async () => {
    const errors: unknown[] = [];
    const thread = dedupeThread(
      { url: t.database.url, pgSchema: t.database.pgSchema, config: DEFAULT_DEDUPE_CONFIG },
      sqlDedupeIndex(t.deps.reader), (err) => errors.push(err),
    );
    try {
      const inWorker = await thread.dedupe(repost);
      const inThread = await dedupe(sqlDedupeIndex(t.deps.reader), repost);
      expect(inWorker.decision).toEqual(inThread.decision);
      expect(inWorker.decision).toMatchObject({ kind: 'merge', leadId: first.leadId });
      expect(inWorker.rows).toEqual(indexRows(inThread.write));
      expect(thread.stats()).toEqual({ worker: 1, local: 0 });
      expect(errors).toEqual([]);
    } finally {
      await thread.close();
    }
  });

  it('answers in the request thread when the worker cannot read the database, and says so', async () => {
    const errors: unknown[] = [];
    const thread = dedupeThread(
      { url: 'postgres://nobody@127.0.0.1:1/none', config: DEFAULT_DEDUPE_CONFIG },
      sqlDedupeIndex(t.deps.reader), (err) => errors.push(err),
    );
    try {
      const answer = await thread.dedupe(repost);
      expect(answer.decision).toMatchObject({ kind: 'merge', leadId: first.leadId });
      expect(thread.stats()).toEqual({ worker: 0, local: 1 });
      expect(errors).toHaveLength(1);
    } finally {
      await thread.close();
    }
  });

  it('answers in the request thread when the worker dies, and starts a new one for the next report', async () => {
    const errors: unknown[] = [];
    const thread = dedupeThread(
      // The worker throws while starting: a file is not a folder to put a database in.
      { url: join(fileURLToPath(import.meta.url), 'x.db'), config: DEFAULT_DEDUPE_CONFIG },
      sqlDedupeIndex(t.deps.reader), (err) => errors.push(err),
    );
    try {
      for (let i = 0; i < 2; i++) {
        expect((await thread.dedupe(repost)).decision).toMatchObject({ kind: 'merge', leadId: first.leadId });
      }
      expect(thread.stats()).toEqual({ worker: 0, local: 2 });
      expect(errors).toHaveLength(2);
    } finally {
      await thread.close();
    }
  });
});
