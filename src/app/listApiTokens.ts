// The bearer tokens, as `xiansuo token list` and GET /api/tokens show them: never a token or its hash.
import type { TokenInfo, TokenStore } from '../domain/tokens.ts';

export function listApiTokens(deps: { tokens: Pick<TokenStore, 'list'> }): Promise<TokenInfo[]> {
  return deps.tokens.list();
}
