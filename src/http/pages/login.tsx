// Sign-in and sign-out: POST /login with a pasted token, or a one-time link from
// `npx xiansuo login-link`; POST /logout. Before a session exists, the forms are protected by a
// double-submit cookie (SameSite=Strict, HttpOnly) and the Origin check.
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { constantTimeEqual } from '../../domain/crypto.ts';
import { redeemLoginLink } from '../../app/sessions.ts';
import type { AppEnv } from '../context.ts';
import { principalForToken } from '../middleware/auth.ts';
import { CSRF_FIELD, readForm, sameOrigin } from '../middleware/csrf.ts';
import { isHttps, safeNext, startSession } from '../middleware/session.ts';
import { ErrorText, Layout, render } from './layout.tsx';

const LOGIN_COOKIE = 'xs_login';

/** 128 random bits, base64url. */
function randomToken(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function loginCsrf(c: Context<AppEnv>): string {
  const value = getCookie(c, LOGIN_COOKIE) ?? randomToken();
  setCookie(c, LOGIN_COOKIE, value, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/login', maxAge: 3600 });
  return value;
}

async function checkedForm(c: Context<AppEnv>): Promise<Record<string, string> | undefined> {
  const form = await readForm(c);
  const cookie = getCookie(c, LOGIN_COOKIE) ?? '';
  const sent = form[CSRF_FIELD] ?? '';
  if (!sameOrigin(c) || !cookie || !sent || !constantTimeEqual(cookie, sent)) return undefined;
  return form;
}

const expired = '表单已过期或来源不明，请重新打开登录页后再试。';

function LoginPage(p: { csrf: string; next: string; error?: string }) {
  return (
    <Layout title="登录">
      <div class="card narrow">
        <h1>登录</h1>
        <p class="hint">请粘贴管理员为您发放的访问令牌（以 xs_ 开头），或使用一次性登录链接。</p>
        <ErrorText error={p.error} />
        <form method="post" action="/login">
          <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
          <input type="hidden" name="next" value={p.next} />
          <label for="token">访问令牌</label>
          <input id="token" name="token" type="password" autocomplete="off" required aria-describedby="token-hint" />
          <p id="token-hint" class="hint">令牌只在本机浏览器提交，不会显示在页面上。登录后 30 分钟无操作自动退出。</p>
          <div class="actions"><button type="submit">登录</button></div>
        </form>
      </div>
    </Layout>
  );
}

function LinkPage(p: { csrf: string; next: string; code: string; error?: string }) {
  return (
    <Layout title="一次性登录">
      <div class="card narrow">
        <h1>一次性登录</h1>
        <ErrorText error={p.error} />
        {p.error ? <p><a href="/login">改用访问令牌登录</a></p> : (
          <form method="post" action="/login/link">
            <p>此链接只能使用一次，15 分钟内有效。</p>
            <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
            <input type="hidden" name="next" value={p.next} />
            <input type="hidden" name="code" value={p.code} />
            <div class="actions"><button type="submit">确认登录</button></div>
          </form>
        )}
      </div>
    </Layout>
  );
}

export function loginRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/login', (c) => {
    c.header('cache-control', 'no-store');
    return render(c, <LoginPage csrf={loginCsrf(c)} next={safeNext(c.req.query('next'))} />);
  });

  app.post('/login', async (c) => {
    c.header('cache-control', 'no-store');
    const form = await checkedForm(c);
    const next = safeNext(form?.next);
    if (!form) return render(c, <LoginPage csrf={loginCsrf(c)} next={next} error={expired} />, 403);
    const token = (form.token ?? '').trim();
    const principal = token ? await principalForToken(c.var.deps, token) : undefined;
    if (!principal) {
      return render(c, <LoginPage csrf={loginCsrf(c)} next={next} error={token ? '令牌无效、已过期或已被吊销。' : '请填写访问令牌。'} />, 401);
    }
    await startSession(c, principal);
    return c.redirect(next, 303);
  });

  // The link's GET only shows a button: mail scanners that fetch links cannot use it up.
  app.get('/login/link', (c) => {
    c.header('cache-control', 'no-store');
    const code = c.req.query('code') ?? '';
    return render(c, <LinkPage csrf={loginCsrf(c)} next={safeNext(c.req.query('next'))} code={code}
      {...(code ? {} : { error: '链接不完整，请复制完整的登录链接。' })} />);
  });

  app.post('/login/link', async (c) => {
    c.header('cache-control', 'no-store');
    const form = await checkedForm(c);
    const next = safeNext(form?.next);
    if (!form) return render(c, <LinkPage csrf={loginCsrf(c)} next={next} code="" error={expired} />, 403);
    const principal = form.code ? await redeemLoginLink(c.var.deps, form.code) : undefined;
    if (!principal) {
      return render(c, <LinkPage csrf={loginCsrf(c)} next={next} code="" error="登录链接无效、已使用或已超过 15 分钟，请向管理员重新获取。" />, 400);
    }
    await startSession(c, principal);
    return c.redirect(next, 303);
  });

  return app;
}
