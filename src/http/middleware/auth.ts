// Bearer authentication and role checks for /api; the pages' sign-in checks tokens the same way.
// Who a token is, and noting its use, is the use case src/app/authenticate.ts: every request
// reads its token's row, so a token revoked or expired is refused at the next request everywhere.
import type { Context, MiddlewareHandler } from 'hono';
import { authenticate } from '../../app/authenticate.ts';
import type { Principal } from '../../domain/tokens.ts';
import type { Role } from '../../domain/types.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { HttpProblem } from '../problem.ts';

const REFUSED: Record<'unknown' | 'revoked' | 'expired', string> = {
  unknown: '令牌无效',
  revoked: '令牌已被吊销',
  expired: '令牌已过期，请联系管理员重新创建',
};

/**
 * Who a bearer token is (the environment's admin token, or a stored one neither revoked nor
 * expired), or why it is refused, in Chinese.
 */
export async function checkToken(deps: AppDeps, token: string): Promise<{ principal: Principal } | { refused: string }> {
  const r = await authenticate({ tokens: deps.tokens, clock: deps.clock, adminTokenHash: deps.config.adminTokenHash }, token);
  return 'refused' in r ? { refused: REFUSED[r.refused] } : r;
}

/** The principal of a usable token, or undefined. */
export async function principalForToken(deps: AppDeps, token: string): Promise<Principal | undefined> {
  const r = await checkToken(deps, token);
  return 'principal' in r ? r.principal : undefined;
}

export function bearerAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      throw new HttpProblem(401, 'unauthenticated', '需要登录', '请在 Authorization 请求头中提供 Bearer 令牌', {});
    }
    const r = await checkToken(c.var.deps, m[1]!);
    if ('refused' in r) throw new HttpProblem(401, 'unauthenticated', '需要登录', r.refused);
    c.set('principal', r.principal);
    await next();
  };
}

export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Principal {
  const p = c.var.principal;
  if (p.role === 'admin' || roles.includes(p.role)) return p;
  throw new HttpProblem(403, 'forbidden', '无权操作', `该操作需要以下角色之一：${roles.join('、')}`);
}
