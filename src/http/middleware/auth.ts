// Bearer authentication and role checks for /api.
//
// Every request reads its token's row (nothing is cached), so a token revoked or expired is
// refused at the next request on every instance. The token's last use is written at most once a
// minute per token, after the answer's work has started and without waiting for it.
import type { Context, MiddlewareHandler } from 'hono';
import { constantTimeEqual, sha256Hex } from '../../domain/crypto.ts';
import type { Role } from '../../domain/types.ts';
import { lookupToken, recordTokenUse, useIsNews, type Principal } from '../../db/stores/tokens.ts';
import type { AppEnv } from '../context.ts';
import { HttpProblem } from '../problem.ts';

const REFUSED: Record<'unknown' | 'revoked' | 'expired', string> = {
  unknown: '令牌无效',
  revoked: '令牌已被吊销',
  expired: '令牌已过期，请联系管理员重新创建',
};

export function bearerAuth(): MiddlewareHandler<AppEnv> {
  /** Tokens whose use this app is writing now: a burst of requests writes once. */
  const touching = new Set<string>();
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      throw new HttpProblem(401, 'unauthenticated', '需要登录', '请在 Authorization 请求头中提供 Bearer 令牌', {});
    }
    const token = m[1]!;
    const { deps } = c.var;
    let principal: Principal;
    if (deps.config.adminTokenHash && constantTimeEqual(sha256Hex(token), deps.config.adminTokenHash)) {
      principal = { tokenId: 'env:XIANSUO_ADMIN_TOKEN', role: 'admin' };
    } else {
      const now = deps.clock.now();
      const found = await lookupToken(deps.reader, token, now);
      if (found.kind !== 'ok') throw new HttpProblem(401, 'unauthenticated', '需要登录', REFUSED[found.kind]);
      principal = found.principal;
      const id = principal.tokenId;
      if (useIsNews(found.lastUsedAt, now) && !touching.has(id)) {
        touching.add(id);
        const done = () => { touching.delete(id); };
        // A lost note of the last use is not worth failing or delaying a request for.
        recordTokenUse(deps.db, id, now).then(done, done);
      }
    }
    c.set('principal', principal);
    await next();
  };
}

export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Principal {
  const p = c.var.principal;
  if (p.role === 'admin' || roles.includes(p.role)) return p;
  throw new HttpProblem(403, 'forbidden', '无权操作', `该操作需要以下角色之一：${roles.join('、')}`);
}
