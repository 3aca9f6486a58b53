// Revoking a bearer token (`xiansuo token revoke`): every instance refuses it at its next request;
// revoking it again says when it was revoked and changes nothing.
import type { RevokeOutcome, TokenStore } from '../domain/tokens.ts';
import type { Clock } from '../domain/types.ts';

export function revokeApiToken(deps: { tokens: Pick<TokenStore, 'revoke'>; clock: Clock }, id: string, actor: string): Promise<RevokeOutcome> {
  return deps.tokens.revoke(id, deps.clock.now().toISOString(), actor);
}
