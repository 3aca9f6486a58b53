// Sources as a registry (webhooks/index.ts): a fourth, test-only source added with one file
// (test/fixtures/sources/deputy.ts) and one line (its entry in SOURCES below) works end to end —
// its secret variable, its callback variables, its channel row and label, its route, its leads.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.ts';
import { effectiveConfig } from '../src/runtime/configFile.ts';
import { loadRouter } from '../src/runtime/services.ts';
import { defineSource, sourceNamed, WEBHOOK_SOURCES, type WebhookSource } from '../webhooks/index.ts';
import { samples as hotlineSamples } from '../webhooks/hotline.ts';
import { deputy } from './fixtures/sources/deputy.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { signedHeaders } from './helpers/sign.ts';

const SOURCES = [...WEBHOOK_SOURCES, deputy] as const; // ← the one line

const SECRET = 'whsec_' + Buffer.from('deputy-test-secret-0123456789abc').toString('base64');
const CALLBACK_SECRET = 'whsec_' + Buffer.from('deputy-callback-secret-012345678').toString('base64');

describe('the webhook source registry', () => {
  it('derives each source’s variables from its declaration, and only for the sources listed', () => {
    const env = {
      WEBHOOK_SECRET_DEPUTY: SECRET, CALLBACK_URL_DEPUTY: 'https://npc.example/cb', CALLBACK_SECRET_DEPUTY: CALLBACK_SECRET,
    };
    const config = loadConfig(env, SOURCES);
    expect(config.webhookSecrets).toEqual({ deputy: [SECRET] });
    expect(config.callbacks).toEqual({ deputy: { url: 'https://npc.example/cb', secret: CALLBACK_SECRET } });
    expect(config.channels.map((c) => `${c.name}:${c.label}`)).toEqual([
      'hotline:12345热线', 'media:新闻媒体', 'supervisor:社会监督员', 'deputy:人大代表转交', 'bureau:司法局录入', 'public:群众来信来访',
    ]);
    expect(() => loadConfig({ ...env, WEBHOOK_SECRET_DEPUTY: 'not-a-secret' }, SOURCES)).toThrow(/WEBHOOK_SECRET_DEPUTY/);
    expect(() => loadConfig({ CALLBACK_URL_DEPUTY: 'https://npc.example/cb' }, SOURCES)).toThrow(/CALLBACK_URL_DEPUTY 与 CALLBACK_SECRET_DEPUTY/);

    // Without the line, the same variables mean nothing: the source does not exist.
    const production = loadConfig(env);
    expect(production.webhookSecrets).toEqual({});
    expect(production.callbacks).toEqual({});
    expect(production.channels.map((c) => c.name)).toEqual(['hotline', 'media', 'supervisor', 'bureau', 'public']);
  });

  it('lets routing rules name the channel, and labels it in the reason; refuses the name where the source is not listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-registry-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ routing: { rules: [
        { id: 'deputy.urban', agency: 'urban', weight: 9, match: { keywords: ['占道经营'], channel: ['deputy'] } },
      ] } }));
      const config = loadConfig({ XIANSUO_CONFIG: file }, SOURCES);
      const router = loadRouter(config);
      const draft = deputy.toDraft(deputy.schema.parse(deputy.samples.valid));
      const routed = router.route(draft);
      expect(routed.agency).toBe('urban');
      expect(routed.reason).toContain('渠道：人大代表转交');
      expect(() => loadConfig({ XIANSUO_CONFIG: file })).toThrow(/deputy\.urban：未知渠道“deputy”/);
      expect(() => effectiveConfig({ routing: { rules: [{ id: 'typo', agency: 'urban', match: { keywords: ['x'], channel: ['hotlne'] } }] } }, 'f'))
        .toThrow(/typo：未知渠道“hotlne”/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the contract of API.md: sources hotline, media, supervisor and their variables', () => {
    expect(WEBHOOK_SOURCES.map((s) => [s.name, s.secretVariable])).toEqual([
      ['hotline', 'WEBHOOK_SECRET_HOTLINE'], ['media', 'WEBHOOK_SECRET_MEDIA'], ['supervisor', 'WEBHOOK_SECRET_SUPERVISOR'],
    ]);
    for (const s of WEBHOOK_SOURCES) {
      expect(s.schema.safeParse(s.samples.valid).success, s.name).toBe(true);
      expect(s.toDraft(s.schema.parse(s.samples.valid)).source, s.name).toBe(s.name);
    }
  });

  it('lists every source module of webhooks/ (a module left out of the list would be dead code nobody notices)', async () => {
    const dir = join(import.meta.dirname, '..', 'webhooks');
    const declared: WebhookSource[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const mod = (await import(join(dir, file))) as Record<string, unknown>;
      for (const value of Object.values(mod)) {
        if (value && typeof value === 'object' && 'secretVariable' in value && 'toDraft' in value) declared.push(value as WebhookSource);
      }
    }
    expect(declared.length).toBeGreaterThanOrEqual(3);
    for (const s of declared) expect(WEBHOOK_SOURCES, `${s.name} is declared but not in WEBHOOK_SOURCES`).toContain(s);
  });

  it('refuses at compile time a source missing from the list, or a secret variable that does not follow the name', () => {
    // The type checker (npm run typecheck) fails if either line below stops being an error: a
    // name is looked up in a list of sources, so forgetting the line is a compile error wherever
    // the new source is used (its samples, its docs, its secret), not a 404 found in production.
    // @ts-expect-error: 'deputy' is not in the production list.
    expect(() => sourceNamed(WEBHOOK_SOURCES, 'deputy')).toThrow(/deputy/);
    expect(sourceNamed(SOURCES, 'deputy').label).toBe('人大代表转交');
    expect(() => defineSource({
      name: 'letters', label: '来信',
      // @ts-expect-error: the secret variable of “letters” is WEBHOOK_SECRET_LETTERS.
      secretVariable: 'WEBHOOK_SECRET_POST',
      schema: deputy.schema, toDraft: deputy.toDraft, samples: deputy.samples,
    })).not.toThrow();
  });
});

describe.each(await dialects())('a fourth source end to end on %s', (dialect) => {
  let t: TestApp;
  let plain: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { sources: SOURCES, env: { WEBHOOK_SECRET_DEPUTY: SECRET } });
    plain = await testApp(dialect, { env: { WEBHOOK_SECRET_DEPUTY: SECRET } });
  });
  afterAll(async () => {
    await t?.close();
    await plain?.close();
  });

  const deliver = (app: TestApp, id: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    return app.app.request('/webhooks/deputy', { method: 'POST', body, headers: signedHeaders(SECRET, id, app.clock.now(), body) });
  };

  it('takes a signed delivery with 202 and makes a lead of its channel, labelled from its declaration', async () => {
    const sample = sourceNamed(SOURCES, 'deputy').samples.valid;
    const res = await deliver(t, 'msg_deputy_1', sample);
    expect(res.status).toBe(202);
    const answer = await res.json() as { reportId: string; leadId: string; duplicate: boolean };
    expect(answer).toEqual({ reportId: expect.stringMatching(/^RP-/), leadId: expect.stringMatching(/^XS-/), duplicate: false });

    const lead = await (await t.get(`/api/leads/${answer.leadId}`)).json();
    expect(lead.channels).toEqual(['deputy']);
    expect(lead.reports).toEqual([expect.objectContaining({ id: answer.reportId, source: 'deputy', externalId: 'RD-2026-0007' })]);
    expect(lead.title).toBe(sample.title);

    const row = await t.database.db.selectFrom('sources').select('name').where('code', '=', 'deputy').executeTakeFirstOrThrow();
    expect(row.name).toBe('人大代表转交');
    const overview = await (await t.get('/api/sources')).json() as { items: { source: string; name: string; enabled: boolean }[] };
    expect(overview.items.find((i) => i.source === 'deputy')).toMatchObject({ name: '人大代表转交', enabled: true });

    // The same delivery again is a redelivery, as for every source.
    expect((await deliver(t, 'msg_deputy_1', sample)).status).toBe(200);
    // Its schema is its own: a payload of another source is a 422 naming the fields.
    const wrong = await deliver(t, 'msg_deputy_2', hotlineSamples.valid);
    expect(wrong.status).toBe(422);
  });

  it('does not exist where the line is missing: 404, and nothing stored', async () => {
    const res = await deliver(plain, 'msg_deputy_1', deputy.samples.valid);
    expect(res.status).toBe(404);
    const n = await plain.database.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});
