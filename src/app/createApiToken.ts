// A new bearer token (`xiansuo token create`): shown once, stored as its hash, recorded in the
// full-process record as the actor's.
import type { TokenSpec, TokenStore } from '../domain/tokens.ts';
import type { Clock } from '../domain/types.ts';

export function createApiToken(
  deps: { tokens: Pick<TokenStore, 'create'>; clock: Clock }, spec: TokenSpec, actor: string,
): Promise<{ id: string; token: string }> {
  return deps.tokens.create(spec, deps.clock.now().toISOString(), actor);
}
