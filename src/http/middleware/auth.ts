// Bearer authentication and role checks for /api; the pages' sign-in checks tokens the same way.
//
// Every request reads its token's row (nothing is cached), so a token revoked or expired is
// refused at the next request on every instance. The token's last use is written at most once a
// minute per token, after the answer's work has started and without waiting for it.
import type { Context, MiddlewareHandler } from 'hono';
import { constantTimeEqual, sha256Hex } from '../../domain/crypto.ts';
import type { Role } from '../../domain/types.ts';
import { lookupToken, recordTokenUse, useIsNews, type Principal } from '../../db/stores/tokens.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { HttpProblem } from '../problem.ts';

const REFUSED: Record<'unknown' | 'revoked' | 'expired', string> = {
  unknown: '令牌无效',
  revoked: '令牌已被吊销',
  expired: '令牌已过期，请联系管理员重新创建',
};

/** Tokens whose use is being written now, per app: a burst of requests writes once. */
const touching = new WeakMap<AppDeps, Set<string>>();

/**
 * Who a bearer token is (the environment's admin token, or a stored one neither revoked nor
 * expired), or why it is refused, in Chinese.
 */
export async function checkToken(deps: AppDeps, token: string): Promise<{ principal: Principal } | { refused: string }> {
  if (deps.config.adminTokenHash && constantTimeEqual(sha256Hex(token), deps.config.adminTokenHash)) {
    return { principal: { tokenId: 'env:XIANSUO_ADMIN_TOKEN', role: 'admin' } };
  }
  const now = deps.clock.now();
  const found = await lookupToken(deps.reader, token, now);
  if (found.kind !== 'ok') return { refused: REFUSED[found.kind] };
  const id = found.principal.tokenId;
  let busy = touching.get(deps);
  if (!busy) touching.set(deps, (busy = new Set()));
  if (useIsNews(found.lastUsedAt, now) && !busy.has(id)) {
    busy.add(id);
    const done = () => { busy.delete(id); };
    // A lost note of the last use is not worth failing or delaying a request for.
    recordTokenUse(deps.db, id, now).then(done, done);
  }
  return { principal: found.principal };
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
