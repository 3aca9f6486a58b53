// Sign-in, sessions, CSRF and cookies of the web pages, through app.request() on both databases.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { sha256Hex } from '../src/domain/crypto.ts';
import { createLoginLink } from '../src/db/stores/sessions.ts';
import { ADMIN_TOKEN, testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const exec = promisify(execFile);
const FORM = 'application/x-www-form-urlencoded';

describe.each(await dialects())('web sign-in and sessions on %s', (dialect) => {
  let t: TestApp;
  let leadId: string;
  let bureau: string;

  beforeAll(async () => {
    t = await testApp(dialect);
    leadId = (await (await t.deliver('hotline', hotline.valid)).json()).leadId;
    bureau = await t.token('bureau');
  });
  afterAll(async () => { await t.close(); });

  const cookieOf = (res: Response, name: string) => {
    const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
    return line ? { pair: line.split(';')[0]!, line } : undefined;
  };
  const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  /** Opens the sign-in page, posts the token; answers the response and the session cookie. */
  async function signIn(token: string, next = '/', headers: Record<string, string> = {}) {
    const page = await t.app.request(`/login?next=${encodeURIComponent(next)}`, { headers });
    const login = cookieOf(page, 'xs_login')!;
    const res = await t.app.request('/login', {
      method: 'POST', headers: { cookie: login.pair, 'content-type': FORM, ...headers },
      body: new URLSearchParams({ _csrf: csrfIn(await page.text()), token, next }).toString(),
    });
    return { res, session: cookieOf(res, 'xs_session') };
  }

  const get = (path: string, cookie: string, headers: Record<string, string> = {}) => t.app.request(path, { headers: { cookie, ...headers } });
  const post = (path: string, cookie: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.request(path, { method: 'POST', headers: { cookie, 'content-type': FORM, ...headers }, body: new URLSearchParams(fields).toString() });

  it('sends a visitor without a session to the sign-in page and back to the page asked for', async () => {
    const res = await t.app.request(`/leads/${leadId}?x=1`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/leads/${leadId}?x=1`)}`);
    const { res: signed, session } = await signIn(bureau, `/leads/${leadId}?x=1`);
    expect(signed.status).toBe(303);
    expect(signed.headers.get('location')).toBe(`/leads/${leadId}?x=1`);
    const page = await get(`/leads/${leadId}`, session!.pair);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(hotline.valid.title);
  });

  it('sets an HttpOnly, SameSite=Strict cookie holding a random id that is stored only as its hash', async () => {
    const { session } = await signIn(bureau);
    expect(session!.line).toMatch(/HttpOnly/);
    expect(session!.line).toMatch(/SameSite=Strict/);
    expect(session!.line).not.toMatch(/Secure/);
    const id = session!.pair.split('=')[1]!;
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    const rows = await t.database.db.selectFrom('sessions').selectAll().execute();
    expect(rows.some((r) => r.id_hash === sha256Hex(id))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it('marks the cookie Secure when the request came over HTTPS (through a proxy)', async () => {
    const { session } = await signIn(bureau, '/', { 'x-forwarded-proto': 'https' });
    expect(session!.line).toMatch(/Secure/);
  });

  it('refuses a wrong token with a Chinese reason and keeps where to go', async () => {
    const { res, session } = await signIn('xs_not-a-token', '/leads');
    expect(res.status).toBe(401);
    expect(session).toBeUndefined();
    const html = await res.text();
    expect(html).toContain('令牌无效');
    expect(html).toContain('name="next" value="/leads"');
  });

  it('goes back only to paths of this site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const { res } = await signIn(bureau, next);
      expect(res.headers.get('location'), next).toBe('/');
    }
  });

  it('refuses a sign-in post without the sign-in form\'s token, or from another site', async () => {
    const bare = await t.app.request('/login', { method: 'POST', headers: { 'content-type': FORM }, body: new URLSearchParams({ token: bureau }).toString() });
    expect(bare.status).toBe(403);
    expect(cookieOf(bare, 'xs_session')).toBeUndefined();
    const { res } = await signIn(bureau, '/', { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('checks the CSRF token and the origin on every form post', async () => {
    const { session } = await signIn(bureau);
    const page = await get(`/leads/${leadId}`, session!.pair);
    const csrf = csrfIn(await page.text());
    expect(csrf).not.toBe('');
    const none = await post(`/leads/${leadId}/reject`, session!.pair, { reason: '测试' });
    expect(none.status).toBe(403);
    const wrong = await post(`/leads/${leadId}/reject`, session!.pair, { reason: '测试', _csrf: 'x'.repeat(csrf.length) });
    expect(wrong.status).toBe(403);
    const foreign = await post(`/leads/${leadId}/reject`, session!.pair, { reason: '测试', _csrf: csrf }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const lead = await (await t.get(`/api/leads/${leadId}`)).json();
    expect(lead.status).toBe('triage');
    // The right token, an empty reason: the use case's refusal is shown beside the form, nothing changes.
    const empty = await post(`/leads/${leadId}/reject`, session!.pair, { reason: ' ', _csrf: csrf });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('不予受理理由不能为空');
  });

  it('ends the session on 退出', async () => {
    const { session } = await signIn(bureau);
    const csrf = csrfIn(await (await get('/', session!.pair)).text());
    const out = await post('/logout', session!.pair, { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect((await get('/', session!.pair)).status).toBe(303);
  });

  it('ends the session when its token is revoked', async () => {
    const token = await t.token('bureau');
    const { session } = await signIn(token);
    expect((await get('/', session!.pair)).status).toBe(200);
    await t.database.db.updateTable('tokens').set({ revoked_at: t.clock.now().toISOString() }).where('hash', '=', sha256Hex(token)).execute();
    expect((await get('/', session!.pair)).status).toBe(303);
  });

  it('expires after 30 idle minutes, and after 12 hours however busy', async () => {
    const start = t.clock.now().toISOString();
    const { session } = await signIn(bureau);
    t.clock.advance(29 * 60_000);
    expect((await get('/', session!.pair)).status).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await get('/', session!.pair)).status).toBe(200); // kept alive by the visit before
    t.clock.advance(31 * 60_000);
    expect((await get('/', session!.pair)).status).toBe(303); // idle too long
    const { session: busy } = await signIn(bureau);
    for (let i = 0; i < 25; i++) {
      t.clock.advance(29 * 60_000);
      const res = await get('/', busy!.pair);
      expect(res.status, `after ${(i + 1) * 29} minutes`).toBe((i + 1) * 29 < 12 * 60 ? 200 : 303);
    }
    t.clock.set(start);
  });

  it('signs in the environment\'s admin token too', async () => {
    const { res, session } = await signIn(ADMIN_TOKEN);
    expect(res.status).toBe(303);
    expect((await get('/', session!.pair)).status).toBe(200);
  });

  it('reloads once from our own page when a link from another site arrives without the cookie', async () => {
    const res = await t.app.request(`/leads/${leadId}`, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<meta http-equiv="refresh" content="0;url=/leads/${leadId}">`);
  });

  it('signs in once with a one-time link, which expires after 15 minutes', async () => {
    const row = await t.database.db.selectFrom('tokens').select('id').where('hash', '=', sha256Hex(bureau)).executeTakeFirstOrThrow();
    const now = t.clock.now();
    const code = await createLoginLink(t.database.db, row.id, now.toISOString(), new Date(now.getTime() + 15 * 60_000).toISOString(), 'test');
    const use = async () => {
      const page = await t.app.request(`/login/link?code=${code}&next=${encodeURIComponent(`/leads/${leadId}`)}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      return t.app.request('/login/link', {
        method: 'POST', headers: { cookie: cookieOf(page, 'xs_login')!.pair, 'content-type': FORM },
        body: new URLSearchParams({ _csrf: csrfIn(html), code, next: `/leads/${leadId}` }).toString(),
      });
    };
    const first = await use();
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/leads/${leadId}`);
    expect(cookieOf(first, 'xs_session')).toBeDefined();
    const again = await use();
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('已使用');
    const late = await createLoginLink(t.database.db, row.id, now.toISOString(), new Date(now.getTime() + 15 * 60_000).toISOString(), 'test');
    t.clock.advance(16 * 60_000);
    const page = await t.app.request(`/login/link?code=${late}`);
    const res = await t.app.request('/login/link', {
      method: 'POST', headers: { cookie: cookieOf(page, 'xs_login')!.pair, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: csrfIn(await page.text()), code: late }).toString(),
    });
    expect(res.status).toBe(400);
    t.clock.advance(-16 * 60_000);
  });

  it('serves pages with a Content-Security-Policy without inline scripts, and no scripts at all', async () => {
    const { session } = await signIn(bureau);
    for (const path of ['/', '/leads', `/leads/${leadId}`, '/login']) {
      const res = await get(path, session!.pair);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html.startsWith('<!DOCTYPE html>'), path).toBe(true);
      expect(html, path).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    }
    const css = await t.app.request('/assets/app.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.headers.get('cache-control')).toContain('max-age');
  });

  it('shows an agency only its own leads: another agency\'s lead by address is 404', async () => {
    expect((await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban' }, bureau)).status).toBe(200);
    const market = await signIn(await t.token('agency', { agency: 'market' }));
    const res = await get(`/leads/${leadId}`, market.session!.pair);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(hotline.valid.title);
    expect(await (await get('/', market.session!.pair)).text()).not.toContain(leadId);
    const urban = await signIn(await t.token('agency', { agency: 'urban' }));
    const home = await (await get('/', urban.session!.pair)).text();
    expect(home).toContain(leadId);
    const page = await (await get(`/leads/${leadId}`, urban.session!.pair)).text();
    expect(page).toContain('签收');
    expect(page).not.toContain('13800000000'); // the reporter's phone is masked for agencies
  });

  it('prints a one-time sign-in link from the command line', async () => {
    const env: Record<string, string> = { ...process.env as Record<string, string>, DATABASE_URL: t.database.url, XIANSUO_PUBLIC_URL: 'https://xiansuo.example.gov.cn' };
    if (t.database.pgSchema) env.PGOPTIONS = `-c search_path=${t.database.pgSchema}`;
    const { stdout } = await exec(process.execPath, ['bin/xiansuo.js', 'login-link', '--role', 'agency', '--agency', 'urban', '--next', `/leads/${leadId}`], { env });
    const url = new URL(stdout.trim().split('\n').at(-1)!);
    expect(url.origin + url.pathname).toBe('https://xiansuo.example.gov.cn/login/link');
    expect(url.searchParams.get('next')).toBe(`/leads/${leadId}`);
    const code = url.searchParams.get('code')!;
    const link = await t.database.db.selectFrom('login_links').selectAll().where('hash', '=', sha256Hex(code)).executeTakeFirstOrThrow();
    expect(Date.parse(link.expires_at) - Date.parse(link.created_at)).toBe(15 * 60_000);
    const bad = await exec(process.execPath, ['bin/xiansuo.js', 'login-link', '--role', 'agency'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).not.toBe(0);
    expect((bad as { stderr: string }).stderr).toContain('--agency');
  });
});
