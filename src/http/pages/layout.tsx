// The frame of every page: header with the role's navigation and 退出, the one stylesheet, no scripts.
import type { Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../../domain/tokens.ts';
import { CSRF_FIELD } from '../middleware/csrf.ts';

export const ROLE_LABELS: Record<string, string> = {
  admin: '管理员', bureau: '司法局监督科', agency: '承办单位', supervisor: '社会监督员', viewer: '只读用户',
};

export interface Viewer {
  principal: Principal;
  csrf: string;
  /** The agency's name for agency sign-ins. */
  agencyName?: string;
}

export const Csrf: FC<{ v: Viewer }> = ({ v }) => <input type="hidden" name={CSRF_FIELD} value={v.csrf} />;

function nav(role: string): [string, string][] {
  if (role === 'agency') return [['/', '本单位线索']];
  if (role === 'supervisor') return [['/', '我的线索'], ['/submit', '报送线索']];
  return [['/', '首页'], ['/leads', '线索列表'], ['/stats', '统计'], ['/campaigns', '专项整治']];
}

export const Layout: FC<{ title: string; v?: Viewer; children?: Child }> = ({ title, v, children }) => (
  <html lang="zh-CN">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · 执法监督线索平台`}</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/assets/app.css" />
    </head>
    <body>
      <a class="skip" href="#main">跳到正文</a>
      <header class="top">
        <div class="bar">
          <a class="brand" href="/">执法监督线索平台</a>
          {v ? (
            <>
              <nav aria-label="主导航">{nav(v.principal.role).map(([href, label]) => <a href={href}>{label}</a>)}</nav>
              <span class="who">{v.agencyName ?? ROLE_LABELS[v.principal.role] ?? v.principal.role}
                {v.principal.supervisorId ? `（${v.principal.supervisorId}）` : ''}</span>
              <form method="post" action="/logout"><Csrf v={v} /><button type="submit">退出</button></form>
            </>
          ) : null}
        </div>
      </header>
      <main id="main">{children}</main>
    </body>
  </html>
);

export const ErrorText: FC<{ error?: string | undefined }> = ({ error }) =>
  error ? <p class="error" role="alert">{error}</p> : null;

/** A page as an HTML response, with the doctype (standards mode) that JSX cannot write. */
export async function render(c: Context, node: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  const body = await (node as { toString(): string | Promise<string> }).toString();
  return c.html(`<!DOCTYPE html>${body}`, status);
}
