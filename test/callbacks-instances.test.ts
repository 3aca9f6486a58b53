// Two instances on one PostgreSQL database deliver every callback exactly once, each report's in
// order: two sets of app dependencies on the same schema run their delivery passes at the same
// time, over and over, while the receiver (verifying every signature) counts what arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { deliverCallbacks } from '../src/app/deliverCallbacks.ts';
import { connect, type Database } from '../src/runtime/database.ts';
import { buildDeps } from '../src/runtime/services.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { silentLogger } from '../src/runtime/log.ts';
import type { AppDeps } from '../src/http/context.ts';
import { ADMIN_TOKEN, testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { callbackEnv, startCallbackReceiver, type CallbackReceiver } from './helpers/callbackReceiver.ts';

const REPORTS = 30;
const dialect = (await dialects()).find((d) => d === 'postgres');

describe.skipIf(!dialect)('callbacks from two instances on one postgres database', () => {
  let rx: CallbackReceiver;
  let t: TestApp;
  let second: Database;
  let deps2: AppDeps;

  beforeAll(async () => {
    rx = await startCallbackReceiver();
    const env = callbackEnv(rx, ['hotline']);
    t = await testApp('postgres', { env });
    second = connect(t.database.url, { pgSchema: t.database.pgSchema });
    deps2 = await buildDeps(second, loadConfig({ ...env, XIANSUO_ADMIN_TOKEN: ADMIN_TOKEN, XIANSUO_DEDUPE_THREAD: 'off' }), t.clock, silentLogger);
    // Each report its own lead (de-duplication would join these look-alikes), then 交办 each one.
    t.deps.dedupe = async () => ({ decision: { kind: 'new', candidates: [] } } as never);
    for (let i = 0; i < REPORTS; i++) {
      const res = await t.deliver('hotline', { ...hotline.valid, orderNo: `GD-TWO-${i}`, title: `${hotline.valid.title} ${i}` });
      expect(res.status).toBe(202);
      const { leadId } = await res.json();
      expect((await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban' })).status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => {
    await deps2?.close?.();
    await second?.close();
    await t?.close();
    await rx?.close();
  });

  it('delivers each event once, in order per report, with both instances passing at once', async () => {
    rx.answers.hotline = [503, 503]; // two failures on the way: retried by whichever instance comes next
    let total = 0;
    for (let round = 0; round < 20 && rx.delivered('hotline').length < 2 * REPORTS; round++) {
      const [a, b] = await Promise.all([deliverCallbacks(t.deps, t.clock.now()), deliverCallbacks(deps2, t.clock.now())]);
      total += a.sent + b.sent;
      t.clock.advance(3_600_000);
    }
    const delivered = rx.delivered('hotline');
    expect(rx.received.every((r) => r.verified)).toBe(true);
    expect(rx.received.map((r) => r.misfit).filter(Boolean)).toEqual([]);
    expect(total).toBe(2 * REPORTS);
    expect(delivered).toHaveLength(2 * REPORTS);
    expect(new Set(delivered.map((r) => r.id)).size).toBe(2 * REPORTS);
    for (let i = 0; i < REPORTS; i++) {
      const mine = delivered.filter((r) => r.body.data.externalId === `GD-TWO-${i}`).map((r) => r.body.type);
      expect(mine).toEqual(['report.accepted', 'lead.assigned']);
    }
  }, 120_000);
});
