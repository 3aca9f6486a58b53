// De-duplication in a worker thread: the same decisions as in the request thread, on every
// database, and a failing worker never loses a report.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexRows, sqlDedupeIndex } from '../src/db/stores/dedupe.ts';
import { DEFAULT_DEDUPE_CONFIG, dedupe } from '../src/domain/dedupe/index.ts';
import { dedupeThread } from '../src/runtime/dedupeThread.ts';
import { samples as hotline } from '../webhooks/hotline.ts';
import { createApp } from '../src/http/app.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { connect } from '../src/runtime/database.ts';
import { silentLogger } from '../src/runtime/log.ts';
import { buildDeps } from '../src/runtime/services.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';
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
      sqlDedupeIndex(t.deps.reader), (err) => errors.push(err), () => true,
    );
    try {
      const inWorker = await thread.dedupe(repost);
      const inThread = await dedupe(sqlDedupeIndex(t.deps.reader), repost);
      expect(inWorker.decision).toEqual(inThread.decision);
      expect(inWorker.decision).toMatchObject({ kind: 'merge', leadId: first.leadId });
      expect({ ...inWorker.rows, ticket: undefined }).toEqual(indexRows(inThread.write));
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
      sqlDedupeIndex(t.deps.reader), (err) => errors.push(err), () => true,
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
      sqlDedupeIndex(t.deps.reader), (err) => errors.push(err), () => true,
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

  it('follows its own instance through the reports handed back, and another instance through the tables', async () => {
    // Two instances on one database, each with its worker: this one (as `npm start` builds it) and
    // a second one on connections of its own.
    const one = await testApp(dialect, { env: { XIANSUO_DEDUPE_THREAD: 'on' } });
    const database = connect(one.database.url, { pgSchema: one.database.pgSchema });
    const config = loadConfig({ WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, XIANSUO_AUTO_DISPATCH: 'off', XIANSUO_DEDUPE_THREAD: 'on' });
    const deps = await buildDeps(database, config, one.clock, silentLogger);
    const two = createApp(deps);
    const deliver = async (app: typeof two, payload: object, id: string) => {
      const body = JSON.stringify(payload);
      const res = await app.request('/webhooks/hotline', { method: 'POST', body, headers: signedHeaders(SECRETS.hotline, id, one.clock.now(), body) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { leadId: string; duplicate: boolean };
    };
    try {
      const problem = { ...hotline.valid, title: '凤凰路金桂小区门口夜市占道经营', content: '凤凰路金桂小区门口每晚都有夜市摊贩占道经营，油烟噪音扰民，城管来了就走，走了又来。' };
      // Its first look-up reads the tables; then each report it stores is handed back to its worker.
      const a = await deliver(one.app, { ...problem, orderNo: 'GD-W-1' }, 'w-1');
      const b = await deliver(one.app, { ...problem, orderNo: 'GD-W-2', content: `再次反映：${problem.content}` }, 'w-2');
      expect(b).toEqual(expect.objectContaining({ leadId: a.leadId, duplicate: true }));
      // The other instance stores a report of a new problem; this instance's worker reads it from the tables.
      const other = { ...hotline.valid, title: '湘永路银杏苑工地夜间施工噪音', content: '湘永路银杏苑工地每晚十一点后还在打桩施工，噪音扰民，多次投诉无果。' };
      const c = await deliver(two, { ...other, orderNo: 'GD-W-3' }, 'w-3');
      expect(c.duplicate).toBe(false);
      const d = await deliver(one.app, { ...other, orderNo: 'GD-W-4', content: `跟进：${other.content}` }, 'w-4');
      expect(d).toEqual(expect.objectContaining({ leadId: c.leadId, duplicate: true }));
      // And the other way round.
      const e = await deliver(two, { ...problem, orderNo: 'GD-W-5', content: `第三次反映：${problem.content}` }, 'w-5');
      expect(e).toEqual(expect.objectContaining({ leadId: a.leadId, duplicate: true }));
    } finally {
      await deps.close?.();
      await database.close();
      await one.close();
    }
  });
});
