// Bearer authentication and role checks for /api.
import type { Context, MiddlewareHandler } from 'hono';
import { constantTimeEqual, sha256Hex } from '../../domain/crypto.ts';
import type { Role } from '../../domain/types.ts';
import { findPrincipal, type Principal } from '../../db/stores/tokens.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { HttpProblem } from '../problem.ts';

export function bearerAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      throw new HttpProblem(401, 'unauthenticated', '需要登录', '请在 Authorization 请求头中提供 Bearer 令牌', {});
    }
    const principal = await principalForToken(c.var.deps, m[1]!);
    if (!principal) throw new HttpProblem(401, 'unauthenticated', '需要登录', '令牌无效或已被吊销');
    c.set('principal', principal);
    await next();
  };
}

/** Who a bearer token is (the environment's admin token, or a stored one not revoked). The pages' sign-in uses it too. */
export async function principalForToken(deps: AppDeps, token: string): Promise<Principal | undefined> {
  if (deps.config.adminTokenHash && constantTimeEqual(sha256Hex(token), deps.config.adminTokenHash)) {
    return { tokenId: 'env:XIANSUO_ADMIN_TOKEN', role: 'admin' };
  }
  return findPrincipal(deps.reader, token);
}

export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Principal {
  const p = c.var.principal;
  if (p.role === 'admin' || roles.includes(p.role)) return p;
  throw new HttpProblem(403, 'forbidden', '无权操作', `该操作需要以下角色之一：${roles.join('、')}`);
}
