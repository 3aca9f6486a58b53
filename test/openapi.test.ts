// The OpenAPI document (GET /openapi.json) is true: it lints clean with @redocly/cli, it is
// built from the schemas that validate requests, /docs renders it, and every answer of the main
// journey (and of a set of refusals) fits the response schema the document gives for it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hotline as hotlineSource } from '../webhooks/hotline.ts';
import { samples as hotline } from '../webhooks/hotline.ts';
import { CALLBACK_TYPES } from '../src/domain/callbacks/index.ts';
import { openApiDocument, undescribed } from '../src/http/openapi/document.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { checkAnswer, openApiChecker } from './helpers/openapi.ts';
import { PROBLEMS } from './helpers/problems.ts';

const exec = promisify(execFile);

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as Record<string, any>;

  it('lints with @redocly/cli (redocly.yaml: recommended, and problem+json on every 4xx) with no error and no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const r = await exec('node_modules/.bin/redocly', ['lint', file, '--config', 'redocly.yaml', '--format', 'stylish'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((err: { stdout: string; stderr: string; code: number }) => ({ ...err, failed: true }));
      const out = `${r.stdout}\n${r.stderr}`;
      expect('failed' in r ? out : '').toBe('');
      expect(out).toContain('Your API description is valid');
      expect(out).not.toMatch(/\d+ warnings?\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('covers every route of API.md §2 and §3, with bearer auth on /api and the Standard Webhooks headers on the webhooks', () => {
    const ops = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${p}`));
    for (const op of [
      'POST /webhooks/hotline', 'POST /webhooks/media', 'POST /webhooks/supervisor',
      'GET /api/leads', 'POST /api/leads', 'GET /api/leads/{id}', 'GET /api/leads/{id}/events',
      'POST /api/leads/{id}/assign', 'POST /api/leads/{id}/acknowledge', 'POST /api/leads/{id}/feedback',
      'POST /api/leads/{id}/review', 'POST /api/leads/{id}/extension', 'POST /api/leads/{id}/extension/decision',
      'POST /api/leads/{id}/reject', 'POST /api/leads/{id}/transfer', 'POST /api/leads/{id}/merge', 'POST /api/leads/{id}/unmerge',
      'POST /api/leads/{id}/close', 'POST /api/leads/{id}/follow-up', 'GET /api/follow-ups', 'GET /api/calendar/{year}',
      'PUT /api/calendar/{year}', 'POST /api/routing/explain', 'GET /api/stats', 'GET /api/sources',
    ]) expect(ops).toContain(op);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const hook = doc.paths['/webhooks/hotline'].post;
    expect(hook.security).toEqual([]);
    expect(hook.parameters.map((p: { name: string }) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    expect(hook.parameters[0].schema.maxLength).toBe(256);
    expect(Object.keys(hook.responses).sort()).toEqual(['200', '202', '400', '401', '404', '409', '413', '415', '422', '429', '503']);
    expect(hook.responses['422'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ValidationProblem' });
    expect(doc.paths['/api/leads/{id}/assign'].post.security).toEqual([{ bearerAuth: [] }]);
  });

  it('is built from the schemas the routes validate with: the document accepts and refuses what they do', () => {
    const hotlineSchema = z.fromJSONSchema(doc.components.schemas.HotlineWorkOrder);
    expect(hotlineSchema.safeParse(hotline.valid).success).toBe(true);
    expect(hotlineSource.schema.safeParse(hotline.valid).success).toBe(true);
    for (const bad of [{ ...hotline.valid, orderNo: 'x'.repeat(129) }, { ...hotline.valid, title: undefined }, { ...hotline.valid, urgency: 'later' }]) {
      expect(hotlineSource.schema.safeParse(bad).success).toBe(false);
      expect(hotlineSchema.safeParse(bad).success).toBe(false);
    }
    const assign = doc.paths['/api/leads/{id}/assign'].post.requestBody.content['application/json'].schema;
    expect(assign).toMatchObject({ required: ['agency'], additionalProperties: false });
    expect(assign.properties.workingDays).toMatchObject({ type: 'integer', minimum: 1, maximum: 90 });
    // The Chinese field descriptions name only fields the schemas have.
    expect(undescribed).toEqual([]);
    expect(doc.components.schemas.HotlineWorkOrder.properties.orderNo.description).toBe('12345 工单号（外部编号）');
  });

  it('describes each callback of API.md §7 in `webhooks`, signed, with its body', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...CALLBACK_TYPES].sort());
    const closed = doc.webhooks['lead.closed'].post;
    expect(closed.parameters.map((p: { name: string }) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    const body = doc.components.schemas.Callback_lead_closed;
    expect(body.properties.type).toMatchObject({ const: 'lead.closed' });
    expect(body.properties.data.required).toEqual(expect.arrayContaining(['source', 'externalId', 'reportId', 'leadId', 'status', 'summary']));
    expect(doc.components.schemas.Callback_lead_assigned.properties.data.required).toEqual(expect.arrayContaining(['agency', 'dueAt']));
  });

  it('the checker refuses an answer that does not fit', () => {
    expect(() => checkAnswer(doc, 'get', '/api/leads/XS-2026-000001', { status: 200, contentType: 'application/json', body: { id: 'XS-2026-000001' } })).toThrow(/does not fit/);
    expect(() => checkAnswer(doc, 'get', '/api/leads/XS-2026-000001', { status: 418, contentType: 'application/json', body: {} })).toThrow(/does not document status 418/);
    expect(() => checkAnswer(doc, 'post', '/webhooks/hotline', { status: 401, contentType: 'application/json', body: {} })).toThrow(/documented application\/problem\+json/);
  });
});

describe.each(await dialects())('answers against the document on %s', (dialect) => {
  let t: TestApp;
  let check: Awaited<ReturnType<typeof openApiChecker>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    check = await openApiChecker(t.app);
  });
  afterAll(async () => { await t?.close(); });

  it('serves /openapi.json and a /docs page in Chinese that loads nothing from other hosts', async () => {
    const json = await t.app.request('/openapi.json');
    expect(json.status).toBe(200);
    expect((await json.json()).openapi).toBe('3.1.0');
    const page = await t.app.request('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');
    for (const text of ['推送接入', '/webhooks/hotline', '/api/leads/{id}/review', '专项整治', '/api/stats.csv', 'webhook-signature', '回调', 'lead.closed', '必填', 'application/problem+json']) {
      expect(html).toContain(text);
    }
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    const css = await t.app.request('/docs/style.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('documents every /api and /webhooks route the app registers, and no route the app does not have', () => {
    const routes = [...new Set(t.app.routes
      .filter((r) => r.method !== 'ALL' && /^\/(api|webhooks)\//.test(r.path))
      .map((r) => `${r.method} ${r.path}`))];
    const documented = Object.entries(check.doc.paths).flatMap(([p, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${p}`));
    // A Hono path (/api/leads/:id) as a pattern; a documented path ({id}) as a concrete address.
    const pattern = (route: string) => new RegExp(`^${route.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
    const concrete = (op: string) => op.replace(/\{[^}]+\}/g, 'X1');
    const served = (route: string, op: string) => route.split(' ')[0] === op.split(' ')[0] && pattern(route.split(' ')[1]!).test(concrete(op.split(' ')[1]!));
    expect(routes.length).toBeGreaterThanOrEqual(40);
    expect(routes.filter((r) => !documented.some((op) => served(r, op)))).toEqual([]);
    expect(documented.filter((op) => !routes.some((r) => served(r, op)))).toEqual([]);
  });

  it('webhook → lead → 交办 → 签收 → 整改反馈 → 审核 → events, and the refusals on the way: every answer fits the document', async () => {
    const bureau = await t.token('bureau');
    const urban = await t.token('agency', { agency: 'urban' });
    const market = await t.token('agency', { agency: 'market' });
    const viewer = await t.token('viewer');

    const accepted = await check('post', '/webhooks/hotline', await t.deliver('hotline', hotline.valid));
    expect(accepted.status).toBe(202);
    const { leadId, reportId } = await accepted.json();
    expect((await check('post', '/webhooks/hotline', await t.deliver('hotline', hotline.valid))).status).toBe(200);
    expect((await check('post', '/webhooks/supervisor', await t.deliver('supervisor', {
      submissionId: 'SV-OPENAPI-1', supervisor: { id: 'S07' }, submittedAt: '2026-03-02T10:00:00+08:00', content: PROBLEMS[7]!.content,
    }))).status).toBe(202);
    expect((await check('post', '/webhooks/hotline', await t.deliver('hotline', { ...hotline.valid, createdAt: 'soon' }))).status).toBe(422);
    expect((await check('post', '/webhooks/hotline', await t.deliver('hotline', '{not json'))).status).toBe(400);
    expect((await check('post', '/webhooks/media', await t.app.request('/webhooks/media', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }))).status).toBe(401);
    expect((await check('post', '/webhooks/media', await t.app.request('/webhooks/media', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }))).status).toBe(415);

    const path = `/api/leads/${leadId}`;
    expect((await check('get', path, await t.get(path, bureau))).status).toBe(200);
    expect((await check('get', path, await t.get(path, viewer))).status).toBe(200);
    expect((await check('get', path, await t.get(path, urban))).status).toBe(404);
    expect((await check('get', path, await t.app.request(path))).status).toBe(401);
    expect((await check('get', '/api/leads', await t.get('/api/leads?status=triage', bureau))).status).toBe(200);
    expect((await check('get', '/api/leads', await t.get('/api/leads?status=nope', bureau))).status).toBe(422);

    expect((await check('post', `${path}/assign`, await t.post(`${path}/assign`, { agency: 'urban' }, viewer))).status).toBe(403);
    expect((await check('post', `${path}/assign`, await t.post(`${path}/assign`, { agency: 'urban', workingDays: 0 }, bureau))).status).toBe(422);
    expect((await check('post', `${path}/assign`, await t.post(`${path}/assign`, { agency: 'urban' }, bureau))).status).toBe(200);
    expect((await check('post', `${path}/feedback`, await t.post(`${path}/feedback`, { summary: '已整改', measures: '培训' }, urban))).status).toBe(409);
    expect((await check('post', `${path}/acknowledge`, await t.post(`${path}/acknowledge`, {}, market))).status).toBe(404);
    expect((await check('post', `${path}/acknowledge`, await t.post(`${path}/acknowledge`, {}, urban))).status).toBe(200);
    expect((await check('post', `${path}/extension`, await t.post(`${path}/extension`, { workingDays: 5, reason: '需要调取监控录像' }, urban))).status).toBe(200);
    expect((await check('post', `${path}/extension/decision`, await t.post(`${path}/extension/decision`, { approve: true }, bureau))).status).toBe(200);
    expect((await check('post', `${path}/feedback`, await t.post(`${path}/feedback`, {
      summary: '已核实，涉事队员停职检查', measures: '归还三轮车并赔礼道歉', evidence: [{ url: 'https://example.com/a.jpg', kind: 'photo' }],
    }, urban))).status).toBe(200);
    expect((await check('post', `${path}/review`, await t.post(`${path}/review`, { decision: 'maybe' }, bureau))).status).toBe(422);
    expect((await check('post', `${path}/review`, await t.post(`${path}/review`, { decision: 'approve', comment: '整改到位' }, bureau))).status).toBe(200);
    const events = await check('get', `${path}/events`, await t.get(`${path}/events`, bureau));
    expect((await events.json()).items.map((e: { action: string }) => e.action)).toContain('lead.review.approved');

    expect((await check('get', '/api/follow-ups', await t.get('/api/follow-ups', bureau))).status).toBe(200);
    const manual = await check('post', '/api/leads', await t.post('/api/leads', { title: '来访：城管扣车', content: '群众来访反映凤凰街道城管扣车不开单。' }, bureau));
    expect(manual.status).toBe(201);
    const other = (await manual.json()).id;
    expect((await check('post', `/api/leads/${other}/reject`, await t.post(`/api/leads/${other}/reject`, { reason: '不属于监督范围' }, bureau))).status).toBe(200);
    expect((await check('post', `/api/leads/${other}/reject`, await t.post(`/api/leads/${other}/reject`, { reason: '再次' }, bureau))).status).toBe(409);
    expect((await check('get', '/api/calendar/2026', await t.get('/api/calendar/2026', bureau))).status).toBe(200);
    expect((await check('put', '/api/calendar/2027', await t.app.request('/api/calendar/2027', {
      method: 'PUT', body: JSON.stringify({ days: { '2027-10-09': 'work' } }), headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' },
    }))).status).toBe(200);
    const lead = async (i: number) => (await (await t.post('/api/leads', PROBLEMS[i], bureau)).json()).id as string;
    const [moved, merged, into] = [await lead(4), await lead(5), await lead(6)];
    expect((await check('post', `/api/leads/${moved}/transfer`, await t.post(`/api/leads/${moved}/transfer`, { to: 'discipline', note: '涉嫌索要好处' }, bureau))).status).toBe(200);
    expect((await check('post', `/api/leads/${moved}/close`, await t.post(`/api/leads/${moved}/close`, { reason: '纪委监委已处理' }, bureau))).status).toBe(200);
    expect((await check('post', `/api/leads/${merged}/merge`, await t.post(`/api/leads/${merged}/merge`, { into }, bureau))).status).toBe(200);
    expect((await check('post', `/api/leads/${merged}/unmerge`, await t.post(`/api/leads/${merged}/unmerge`, {}, bureau))).status).toBe(200);
    const tasks = (await (await t.get('/api/follow-ups', bureau)).json()).items as { leadId: string; reportId: string }[];
    const task = tasks.find((x) => x.leadId === leadId)!;
    expect((await check('post', `${path}/follow-up`, await t.post(`${path}/follow-up`, { reportId: task.reportId, satisfied: true, comment: '满意' }, bureau))).status).toBe(200);
    expect((await check('post', '/api/routing/explain', await t.post('/api/routing/explain', { content: '城管暴力执法没收三轮车' }, bureau))).status).toBe(200);
    expect((await check('get', '/api/stats', await t.get('/api/stats', bureau))).status).toBe(200);
    expect((await check('get', '/api/sources', await t.get('/api/sources', bureau))).status).toBe(200);
    expect(reportId).toMatch(/^RP-/);

    // The reporting half: downloads, the annual report, 公示, 专项整治, the outbox and the tokens.
    const csv = await check('get', '/api/stats.csv', await t.get('/api/stats.csv?table=channel', viewer));
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await check('get', '/api/stats.csv', await t.get('/api/stats.csv?table=nope', viewer))).status).toBe(422);
    expect((await check('get', '/api/stats.xlsx', await t.get('/api/stats.xlsx', bureau))).status).toBe(200);
    expect((await check('get', '/api/reports/annual/2026', await t.get('/api/reports/annual/2026', bureau))).status).toBe(200);
    const docx = await check('get', '/api/reports/annual/2026.docx', await t.get('/api/reports/annual/2026.docx', viewer));
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');
    expect((await check('get', '/api/reports/annual/1999', await t.get('/api/reports/annual/1999', bureau))).status).toBe(422);
    expect((await check('get', `${path}/publication`, await t.get(`${path}/publication`, bureau))).status).toBe(200);
    expect((await check('post', `/api/leads/${moved}/publish`, await t.post(`/api/leads/${moved}/publish`, { summary: '已移送纪委监委处理。' }, bureau))).status).toBe(200);
    expect((await check('post', `${path}/publish`, await t.post(`${path}/publish`, {}, bureau))).status).toBe(200);
    expect((await check('post', `${path}/unpublish`, await t.post(`${path}/unpublish`, { reason: '当事人申请' }, bureau))).status).toBe(200);
    expect((await check('post', `${path}/unpublish`, await t.post(`${path}/unpublish`, {}, bureau))).status).toBe(409);
    const opened = await check('post', '/api/campaigns', await t.post('/api/campaigns', {
      name: '城管执法专项整治', keywords: ['城管'], startsOn: '2026-03-01', endsOn: '2026-12-31', callText: '集中整治城管执法中的突出问题。',
    }, bureau));
    expect(opened.status).toBe(201);
    const cp = `/api/campaigns/${(await opened.json()).id}`;
    expect((await check('post', '/api/campaigns', await t.post('/api/campaigns', { name: '' }, bureau))).status).toBe(422);
    expect((await check('get', '/api/campaigns', await t.get('/api/campaigns?status=open', viewer))).status).toBe(200);
    expect((await check('post', `${cp}/apply`, await t.post(`${cp}/apply`, {}, bureau))).status).toBe(200);
    expect((await check('post', `${cp}/leads/${other}`, await t.post(`${cp}/leads/${other}`, {}, bureau))).status).toBe(200);
    expect((await check('delete', `${cp}/leads/${other}`, await t.app.request(`${cp}/leads/${other}`, { method: 'DELETE', headers: { authorization: `Bearer ${bureau}` } }))).status).toBe(200);
    expect((await check('get', cp, await t.get(cp, viewer))).status).toBe(200);
    expect((await check('get', `${cp}/report`, await t.get(`${cp}/report`, bureau))).status).toBe(200);
    expect((await check('get', `${cp}/report.docx`, await t.get(`${cp}/report.docx`, bureau))).status).toBe(200);
    expect((await check('post', `${cp}/close`, await t.post(`${cp}/close`, {}, bureau))).status).toBe(200);
    expect((await check('post', `${cp}/close`, await t.post(`${cp}/close`, {}, bureau))).status).toBe(409);
    expect((await check('get', '/api/campaigns/ZX-0000-nothere', await t.get('/api/campaigns/ZX-0000-nothere', bureau))).status).toBe(404);
    expect((await check('get', '/api/outbox', await t.get('/api/outbox?status=pending', bureau))).status).toBe(200);
    expect((await check('get', '/api/outbox', await t.get('/api/outbox?limit=0', bureau))).status).toBe(400);
    expect((await check('get', '/api/tokens', await t.get('/api/tokens'))).status).toBe(200);
    expect((await check('get', '/api/tokens', await t.get('/api/tokens', bureau))).status).toBe(403);
    // Every answer above was checked, and together they reach every operation of the document.
    const all = Object.values(check.doc.paths).flatMap((item) => Object.values(item as object).map((op) => op.operationId as string));
    expect(new Set(check.seen.map((x) => x.operationId))).toEqual(new Set(all));
  });
});
