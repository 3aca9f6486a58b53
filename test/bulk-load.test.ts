// The store's public bulk load (src/db/stores/bulkLoad.ts), used by the benches to build large
// stores: its rows read back through the API like the app's own, intake after it numbers on past
// the loaded ids, and a row naming a lead that does not exist refuses the whole call.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkLoad, bulkLoadDedupeIndex } from '../src/db/stores/bulkLoad.ts';
import { ADMIN_TOKEN, testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const hotline = JSON.parse(readFileSync(new URL('../examples/hotline.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe.each(await dialects())('bulkLoad on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await testApp(dialect); });
  afterAll(async () => { await t.close(); });

  it('writes leads, reports and assignments that read back as the app writes them', async () => {
    const at = '2026-02-01T02:00:00.000Z';
    const written = await bulkLoad(t.deps.db, {
      leads: [1, 2, 3].map((i) => ({
        id: `XS-2026-00000${i}`, status: i === 3 ? 'triage' : 'assigned', title: `第 ${i} 号`, content: `内容 ${i}`,
        township: '梅湾街道', routingAgency: 'urban', problemTypes: ['乱作为'], createdAt: at,
      })),
      reports: [
        ...[1, 2, 3].map((i) => ({ id: `RP-2026-00000${i}`, leadId: `XS-2026-00000${i}`, source: 'hotline', externalId: `ext-${i}`, receivedAt: at, title: `第 ${i} 号`, content: `内容 ${i}` })),
        { id: 'RP-2026-000007', leadId: 'XS-2026-000001', source: 'supervisor', externalId: 'sv-1', receivedAt: at, title: '转述', content: '内容 1' },
      ],
      assignments: [1, 2].map((i) => ({ id: `as_${i}`, leadId: `XS-2026-00000${i}`, agency: 'urban', status: 'assigned', assignedAt: at, dueAt: '2026-02-20T15:59:59.000Z' })),
    });
    expect(written).toMatchObject({ leads: 3, reports: 4, assignments: 2 });
    const res = await t.get('/api/leads/XS-2026-000001', ADMIN_TOKEN);
    expect(res.status).toBe(200);
    const lead = (await res.json()) as { status: string; channels: string[]; reportCount: number; problemTypes: string[] };
    expect(lead).toMatchObject({ status: 'assigned', channels: ['hotline', 'supervisor'], reportCount: 2, problemTypes: ['乱作为'] });
  });

  it('moves the id counters past the loaded ids: the next intake numbers on', async () => {
    const res = await t.deliver('hotline', { ...hotline, orderNo: 'BULK-LOAD-NEXT' });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ leadId: 'XS-2026-000004', reportId: 'RP-2026-000008' });
  });

  it('refuses a call whose rows name a lead that does not exist, writing nothing of it', async () => {
    const at = '2026-02-02T02:00:00.000Z';
    await expect(bulkLoad(t.deps.db, {
      leads: [{ id: 'XS-2026-000100', status: 'triage', title: '孤立', content: '孤立', createdAt: at }],
      assignments: [{ id: 'as_missing', leadId: 'XS-2026-999999', agency: 'urban', status: 'assigned', assignedAt: at }],
    })).rejects.toThrow(/XS-2026-999999/);
    expect((await t.get('/api/leads/XS-2026-000100', ADMIN_TOKEN)).status).toBe(404);
  });

  it('writes fingerprints and moves the report counter past them', async () => {
    const at = '2026-02-03T02:00:00.000Z';
    await bulkLoad(t.deps.db, { leads: [{ id: 'XS-2026-000200', status: 'closed', title: '旧', content: '旧', createdAt: at }] });
    expect(await bulkLoadDedupeIndex(t.deps.db, {
      fingerprints: [{ reportId: 'RP-2026-000300', leadId: 'XS-2026-000200', reportedAt: at, data: JSON.stringify({ vector: [], norm: 0, places: [], reportedAt: at }), postings: null }],
    })).toBe(1);
    const res = await t.deliver('hotline', { ...hotline, orderNo: 'BULK-LOAD-AFTER-INDEX' });
    // The same text as the previous delivery: merged into that lead, under the next report id.
    expect(await res.json()).toMatchObject({ reportId: 'RP-2026-000301', leadId: 'XS-2026-000004', duplicate: true });
  });
});
