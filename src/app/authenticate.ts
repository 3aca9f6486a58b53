// Who a bearer token is (API and the pages' sign-in): the environment's admin token, or a stored
// token neither revoked nor expired. Every call reads the token's row (nothing is cached), so a
// revocation or an expiry holds at the next request on every instance. The token's last use is
// noted at most once a minute per token, without waiting for the write.
import { constantTimeEqual, sha256Hex } from '../domain/crypto.ts';
import type { Principal, TokenStore } from '../domain/tokens.ts';
import type { Clock } from '../domain/types.ts';

export interface AuthenticateDeps {
  tokens: Pick<TokenStore, 'lookup' | 'noteUse'>;
  clock: Clock;
  /** SHA-256 of XIANSUO_ADMIN_TOKEN, when set. */
  adminTokenHash?: string | undefined;
}

export type Authentication = { principal: Principal } | { refused: 'unknown' | 'revoked' | 'expired' };

/** The environment's admin token acts as this principal. */
export const ENV_ADMIN: Principal = { tokenId: 'env:XIANSUO_ADMIN_TOKEN', role: 'admin' };

/** Tokens whose use is being noted now, per token store: a burst of requests writes once. */
const noting = new WeakMap<object, Set<string>>();

export async function authenticate(deps: AuthenticateDeps, token: string): Promise<Authentication> {
  if (deps.adminTokenHash && constantTimeEqual(sha256Hex(token), deps.adminTokenHash)) return { principal: { ...ENV_ADMIN } };
  const now = deps.clock.now();
  const found = await deps.tokens.lookup(token, now);
  if (found.kind !== 'ok') return { refused: found.kind };
  const id = found.principal.tokenId;
  let busy = noting.get(deps.tokens);
  if (!busy) noting.set(deps.tokens, (busy = new Set()));
  if (!busy.has(id)) {
    const writing = deps.tokens.noteUse(id, found.lastUsedAt, now);
    if (writing) {
      busy.add(id);
      const done = () => { busy.delete(id); };
      // A lost note of the last use is not worth failing or delaying a request for.
      writing.then(done, done);
    }
  }
  return { principal: found.principal };
}
