// SIGKILL in the middle of a stream of deliveries: after a restart every delivery that got a
// 2xx is there, and nothing is half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { verifyAudit } from '../src/db/stores/audit.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { startServer } from './helpers/server.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';
import { checkedFetch as fetch } from './helpers/openapi.ts'; // every /api and /webhooks answer checked against the document

describe.each(await dialects())('crash safety on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await freshDatabase(dialect); });
  afterAll(async () => { await database.drop(); });

  it('keeps every acknowledged delivery across a SIGKILL', async () => {
    const env = { DATABASE_URL: database.url, WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, WEBHOOK_RATE_PER_MINUTE: '1000000', WEBHOOK_RATE_BURST: '100000' };
    const server = await startServer(env, { pgSchema: database.pgSchema });
    const acknowledged = new Map<string, { reportId: string; leadId: string }>();
    let sent = 0;
    let stop = false;
    const worker = async (w: number) => {
      while (!stop) {
        const orderNo = `GD-CRASH-${w}-${sent++}`;
        const body = JSON.stringify({ ...hotline.valid, orderNo, content: `${hotline.valid.content}（第 ${sent} 单）` });
        try {
          const res = await fetch(`${server.base}/webhooks/hotline`, {
            method: 'POST', body, headers: signedHeaders(SECRETS.hotline, `msg_${orderNo}`, new Date(), body),
          });
          if (res.status === 202 || res.status === 200) acknowledged.set(orderNo, await res.json());
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    while (acknowledged.size < 150) await new Promise((r) => setTimeout(r, 10));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(sent).toBeGreaterThan(acknowledged.size);

    const restarted = await startServer(env, { pgSchema: database.pgSchema });
    try {
      const { db } = database;
      const reports = await db.selectFrom('reports').select(['id', 'external_id', 'lead_id']).execute();
      const byOrder = new Map(reports.map((r) => [r.external_id, r]));
      for (const [orderNo, answer] of acknowledged) {
        expect(byOrder.get(orderNo), orderNo).toMatchObject({ id: answer.reportId, lead_id: answer.leadId });
      }
      // Nothing half-written: every report has its lead, delivery and events; every lead its report.
      const leads = await db.selectFrom('leads').select(['id', 'report_count']).execute();
      const leadIds = new Set(leads.map((l) => l.id));
      for (const r of reports) expect(leadIds.has(r.lead_id)).toBe(true);
      // Reports of one problem may share a lead (de-duplication): each lead counts exactly its reports.
      const perLead = new Map<string, number>();
      for (const r of reports) perLead.set(r.lead_id, (perLead.get(r.lead_id) ?? 0) + 1);
      for (const l of leads) expect(Number(l.report_count), l.id).toBe(perLead.get(l.id) ?? 0);
      const fingerprints = await db.selectFrom('dedupe_fingerprint').select(['report_id', 'lead_id']).execute();
      expect(new Map(fingerprints.map((f) => [f.report_id, f.lead_id]))).toEqual(new Map(reports.map((r) => [r.id, r.lead_id])));
      const deliveries = await db.selectFrom('deliveries').select('report_id').execute();
      expect(new Set(deliveries.map((d) => d.report_id))).toEqual(new Set(reports.map((r) => r.id)));
      const received = await db.selectFrom('events').select('report_id').where('action', '=', 'report.received').execute();
      expect(received.length).toBe(reports.length);
      expect(await verifyAudit(db)).toMatchObject({ ok: true });
      // And the restarted service answers a redelivery of an acknowledged one with 200.
      const [orderNo, answer] = [...acknowledged][0]!;
      const body = JSON.stringify({ ...hotline.valid, orderNo, content: 'x' });
      const again = await fetch(`${restarted.base}/webhooks/hotline`, {
        method: 'POST', body, headers: signedHeaders(SECRETS.hotline, `msg_${orderNo}`, new Date(), body),
      });
      expect(again.status).toBe(409); // same webhook-id, other body
      expect(answer.leadId).toMatch(/^XS-/);
    } finally {
      await restarted.kill();
    }
  }, 120_000);
});
