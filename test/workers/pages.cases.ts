// Inside workerd (run from workerd.test.ts): the pages on Workers, as a bureau clerk meets them.
// Sign in with a token through the login form (CSRF and the session cookie over D1), then the
// dashboard, the queue, a lead, the statistics page with its server-rendered charts, and the
// downloads (workbook, annual report in Word) — the same app as on Node, over D1.
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { d1Database } from '../../src/runtime/workerDeps.ts';
import { createToken } from '../../src/db/stores/tokens.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';
import { samples as hotline } from '../../webhooks/hotline.ts';
import { ADMIN_TOKEN, CLOCK } from './shared.ts';
import { SECRETS, signedHeaders } from '../helpers/sign.ts';

const BASE = 'http://xiansuo.test';
const FORM = 'application/x-www-form-urlencoded';
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Signs in through the login form with a token; the session cookie. */
async function signIn(token: string): Promise<string> {
  const login = await SELF.fetch(`${BASE}/login`);
  const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith('xs_login='))!.split(';')[0]!;
  const res = await SELF.fetch(`${BASE}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': FORM },
    body: new URLSearchParams({ _csrf: csrfIn(await login.text()), token, next: '/' }).toString(),
  });
  return res.headers.getSetCookie().find((c) => c.startsWith('xs_session='))?.split(';')[0] ?? '';
}

describe('the pages on workerd', () => {
  let session = '';
  let leadId = '';
  const get = (path: string) => SELF.fetch(`${BASE}${path}`, { headers: { cookie: session }, redirect: 'manual' });

  beforeAll(async () => {
    const body = JSON.stringify({ ...hotline.valid, orderNo: 'GD-PAGES-1' });
    const res = await SELF.fetch(`${BASE}/webhooks/hotline`, { method: 'POST', body, headers: signedHeaders(SECRETS.hotline, 'pages-1', new Date(CLOCK), body) });
    expect(res.status).toBeLessThan(300);
    leadId = ((await res.json()) as { leadId: string }).leadId;
  });

  it('signs a bureau clerk in through the login form; the session holds on the next page', async () => {
    const { db } = d1Database(env as unknown as WorkerEnv);
    const { token } = await createToken(db, { role: 'bureau', label: '区司法局（workerd 页面）' }, CLOCK, 'test');
    const login = await SELF.fetch(`${BASE}/login`);
    expect(login.status).toBe(200);
    const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith('xs_login='))!.split(';')[0]!;
    const wrong = await SELF.fetch(`${BASE}/login`, {
      method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: csrfIn(await login.clone().text()), token: 'not-a-token-of-ours-0123456789', next: '/' }).toString(),
    });
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('xs_session='))).toBe(false);
    const res = await SELF.fetch(`${BASE}/login`, {
      method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: csrfIn(await login.text()), token, next: '/' }).toString(),
    });
    expect(res.status).toBe(303);
    session = res.headers.getSetCookie().find((c) => c.startsWith('xs_session='))!.split(';')[0]!;
    expect(session).toMatch(/^xs_session=./);
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    const homeHtml = await home.text();
    expect(homeHtml).toContain('需要处理的事项');
    expect(homeHtml).toContain('司法局监督科');
  });

  it('shows the queue and the lead; the bureau sees the reporter\'s phone, the agency does not', async () => {
    const queue = await get('/leads');
    expect(queue.status).toBe(200);
    const list = await queue.text();
    expect(list).toContain(`/leads/${leadId}`);
    const page = await get(`/leads/${leadId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(leadId);
    expect(html).toContain(hotline.valid.caller.phone);
    // The agency it was routed to reads the lead with the reporter sealed (as on Node).
    const { db } = d1Database(env as unknown as WorkerEnv);
    const { token } = await createToken(db, { role: 'agency', agency: 'urban', label: '城管（workerd 页面）' }, CLOCK, 'test');
    const agency = await signIn(token);
    const sealed = await SELF.fetch(`${BASE}/leads/${leadId}`, { headers: { cookie: agency } });
    expect(sealed.status).toBe(200);
    const seen = await sealed.text();
    expect(seen).toContain(leadId);
    expect(seen).not.toContain(hotline.valid.caller.phone);
  });

  it('draws the statistics page with its charts, and serves the workbook and the annual report', async () => {
    const stats = await get('/stats?from=2026-01-01&to=2026-12-31');
    expect(stats.status).toBe(200);
    const html = await stats.text();
    expect(html).toContain('<svg');
    // The page's own download links, followed as a browser would.
    expect(html).toContain('/stats/download/stats.xlsx?');
    expect(html).toContain('/stats/reports/annual/2026.docx');
    const xlsx = await get('/stats/download/stats.xlsx?from=2026-01-01&to=2026-12-31');
    expect(xlsx.status).toBe(200);
    const book = new Uint8Array(await xlsx.arrayBuffer());
    expect([book[0], book[1]]).toEqual([0x50, 0x4b]); // a zip, as every .xlsx
    const docx = await get('/stats/reports/annual/2026.docx');
    expect(docx.status).toBe(200);
    const doc = new Uint8Array(await docx.arrayBuffer());
    expect([doc[0], doc[1]]).toEqual([0x50, 0x4b]);
  });
});

describe('long lists on workerd (D1 binds at most 100 values per statement)', () => {
  it('lists 200 leads on one API page, and the queue page over them', async () => {
    // 205 leads: one through the webhook, the rest copies of its row under new ids (through the
    // webhook, de-duplication would rightly merge generated look-alikes).
    const body = JSON.stringify({ ...hotline.valid, orderNo: 'GD-LONG-0' });
    const res = await SELF.fetch(`${BASE}/webhooks/hotline`, { method: 'POST', body, headers: signedHeaders(SECRETS.hotline, 'long-0', new Date(CLOCK), body) });
    const { leadId } = (await res.json()) as { leadId: string };
    const cols = (await env.DB.prepare('pragma table_info(leads)').all<{ name: string }>()).results.map((c) => c.name);
    const list = cols.map((c) => `"${c}"`).join(', ');
    const picked = cols.map((c) => (c === 'id' ? '?' : `"${c}"`)).join(', ');
    await env.DB.batch(Array.from({ length: 204 }, (_, i) =>
      env.DB.prepare(`insert into leads (${list}) select ${picked} from leads where id = ?`).bind(`XS-2026-9${String(i).padStart(5, '0')}`, leadId)));
    expect((await env.DB.prepare('select count(*) as n from leads').first<{ n: number }>())!.n).toBeGreaterThanOrEqual(205);
    const api = await SELF.fetch(`${BASE}/api/leads?limit=200`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await api.text();
    expect(api.status, text.slice(0, 300)).toBe(200);
    expect((JSON.parse(text) as { items: unknown[] }).items).toHaveLength(200);
    const { db } = d1Database(env as unknown as WorkerEnv);
    const { token } = await createToken(db, { role: 'bureau', label: '区司法局（长列表）' }, CLOCK, 'test');
    const page = await SELF.fetch(`${BASE}/leads?limit=200`, { headers: { cookie: await signIn(token) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/\/leads\/XS-2026-9\d{5}/);
  }, 120_000);
});
