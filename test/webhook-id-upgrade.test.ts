// Migration 006 on a store written before it: a delivery accepted under the old, global
// `webhook-id` key still answers its redelivery (200, same body) and its conflict (409), and
// another source may now use the same id (202), on every database.
import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/index.ts';
import { canonicalJson, sha256Hex } from '../src/domain/crypto.ts';
import { createApp } from '../src/http/app.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { silentLogger } from '../src/runtime/log.ts';
import { buildDeps, prepareDatabase } from '../src/runtime/services.ts';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as media } from '../webhooks/media.ts';
import { fixedClock } from './helpers/clock.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';

describe.each(await dialects())('upgrading webhook ids to per-source keys (migration 006) on %s', (dialect) => {
  let database: TestDatabase;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    await database.drop();
  });

  it('keeps the delivery stored before it, and lets another source use the same id', async () => {
    database = await freshDatabase(dialect);
    const { db } = database;
    const migrator = new Migrator({
      db, provider: { getMigrations: async () => MIGRATIONS }, ...(database.pgSchema ? { migrationTableSchema: database.pgSchema } : {}),
    });
    expect((await migrator.migrateTo('005_dedupe_sketch')).error).toBeUndefined();

    // A hotline work order accepted before the upgrade, as the intake of that version stored it.
    const body = JSON.stringify(hotline.valid);
    const answer = { reportId: 'RP-2026-000001', leadId: 'XS-2026-000001', duplicate: false };
    const at = '2026-03-02T01:00:00.000Z';
    await db.insertInto('reports').values({
      id: answer.reportId, lead_id: answer.leadId, source: 'hotline', external_id: hotline.valid.orderNo, webhook_id: 'evt-1',
      revision: 1, content_hash: sha256Hex(canonicalJson(JSON.parse(body))), received_at: at, reported_at: at,
      title: hotline.valid.title, content: hotline.valid.content, address: null, township: null, subject: null, category: null,
      priority: 'normal', reporter_name: null, reporter_phone: null, confidential: 0, supervisor_id: null, outlet: null,
      url: null, evidence: '[]', duplicate: 0, answer: JSON.stringify(answer), payload: body,
    }).execute();
    await db.insertInto('deliveries').values({
      webhook_id: 'evt-1', source: 'hotline', body_hash: sha256Hex(body), report_id: answer.reportId, received_at: at,
    }).execute();
    await db.insertInto('counters').values([{ name: 'report-2026', last: 1 }, { name: 'lead-2026', last: 1 }]).execute();

    const clock = fixedClock('2026-03-02T02:00:00.000Z');
    const config = loadConfig({
      WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, WEBHOOK_SECRET_MEDIA: SECRETS.media, XIANSUO_AUTO_DISPATCH: 'off',
    });
    await prepareDatabase(database, config, clock); // migrates to the latest, as a start does
    const deps = await buildDeps(database, config, clock, silentLogger);
    close = async () => { await deps.close?.(); };
    const app = createApp(deps);
    const send = (source: 'hotline' | 'media', text: string, id: string) => app.request(`/webhooks/${source}`, {
      method: 'POST', body: text, headers: signedHeaders(SECRETS[source], id, clock.now(), text),
    });

    const again = await send('hotline', body, 'evt-1');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(answer);
    expect((await send('hotline', JSON.stringify({ ...hotline.valid, title: '改过的标题' }), 'evt-1')).status).toBe(409);
    const other = await send('media', JSON.stringify(media.valid), 'evt-1');
    expect(other.status).toBe(202);
    expect((await other.json()).reportId).not.toBe(answer.reportId);

    const rows = await db.selectFrom('deliveries').select(['source', 'webhook_id', 'report_id']).orderBy('source').execute();
    expect(rows.map((r) => [r.source, r.webhook_id])).toEqual([['hotline', 'evt-1'], ['media', 'evt-1']]);
    // The per-source key holds: the same source and id cannot be stored twice.
    await expect(db.insertInto('deliveries').values({
      webhook_id: 'evt-1', source: 'media', body_hash: 'x', report_id: 'RP-X', received_at: at,
    }).execute()).rejects.toThrow();
  });
});
