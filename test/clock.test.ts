// XIANSUO_CLOCK (API.md §1): the service's clock starts at the given instant and runs on; webhook
// timestamps are checked against it, and the service says so loudly at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { startServer, type ServerProcess } from './helpers/server.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';
import { checkedFetch as fetch } from './helpers/openapi.ts'; // every /api and /webhooks answer checked against the document

const START = '2026-03-02T10:00:00+08:00';

// The clock does not depend on the database: SQLite only.
describe('XIANSUO_CLOCK', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    server = await startServer({
      DATABASE_URL: database.url, WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, XIANSUO_CLOCK: START,
      XIANSUO_ADMIN_TOKEN: 'clock-test-admin-token-0123456789',
    }, { pgSchema: database.pgSchema });
  });
  afterAll(async () => {
    await server.kill();
    await database.drop();
  });

  it('says loudly at start that the clock is set', () => {
    expect(server.output()).toContain('XIANSUO_CLOCK 已设置');
  });

  it('checks webhook timestamps against the set clock, and stamps reports with it', async () => {
    const body = JSON.stringify(hotline.valid);
    const send = (at: Date, id: string) => fetch(`${server.base}/webhooks/hotline`, { method: 'POST', body, headers: signedHeaders(SECRETS.hotline, id, at, body) });
    expect((await send(new Date(), 'clock-real-now')).status).toBe(401); // months away from the service's clock
    const res = await send(new Date(START), 'clock-set-now');
    expect(res.status).toBe(202);
    const { leadId } = await res.json();
    const lead = await (await fetch(`${server.base}/api/leads/${leadId}`, { headers: { authorization: 'Bearer clock-test-admin-token-0123456789' } })).json();
    const received = Date.parse(lead.reports[0].receivedAt);
    expect(received - Date.parse(START)).toBeGreaterThanOrEqual(0);
    expect(received - Date.parse(START)).toBeLessThan(120_000);
  });
});
