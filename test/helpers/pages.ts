// Using the pages through app.request(): sign in with a token, then GET and POST forms as a browser would.
import type { TestApp } from './app.ts';

const FORM = 'application/x-www-form-urlencoded';

export interface PageUser {
  get(path: string): Promise<Response> | Response;
  /** Posts a form with the session's CSRF token. */
  post(path: string, fields: Record<string, string>): Promise<Response> | Response;
}

export async function signInAs(t: TestApp, token: string): Promise<PageUser> {
  const login = await t.app.request('/login');
  const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith('xs_login='))!.split(';')[0]!;
  const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const res = await t.app.request('/login', {
    method: 'POST', headers: { cookie: loginCookie, 'content-type': FORM },
    body: new URLSearchParams({ _csrf: csrfIn(await login.text()), token, next: '/' }).toString(),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('xs_session='));
  if (!cookie) throw new Error(`sign-in refused: ${res.status}`);
  const session = cookie.split(';')[0]!;
  const get = (path: string) => t.app.request(path, { headers: { cookie: session } });
  const csrf = csrfIn(await (await get('/')).text());
  return {
    get,
    post: (path, fields) => t.app.request(path, {
      method: 'POST', headers: { cookie: session, 'content-type': FORM },
      body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
    }),
  };
}
