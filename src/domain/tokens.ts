// Bearer tokens as the application sees them: who a token is, what an operator sees of one, and
// the port the token store implements (src/db/stores/tokens.ts, wired in src/runtime/ports.ts).
import type { Role } from './types.ts';

/** Who a token (or a session's token) is. */
export interface Principal {
  tokenId: string;
  role: Role;
  agency?: string;
  supervisorId?: string;
}

/** What `token list` and GET /api/tokens show of a token: never the token or its hash. */
export interface TokenInfo {
  id: string;
  role: Role;
  agency: string | null;
  supervisorId: string | null;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface TokenSpec {
  role: Role;
  agency?: string;
  supervisorId?: string;
  label?: string;
  /** Null or absent: never expires. */
  expiresAt?: string | null;
}

export type TokenLookup =
  | { kind: 'ok'; principal: Principal; lastUsedAt: string | null }
  | { kind: 'unknown' }
  | { kind: 'revoked' }
  | { kind: 'expired' };

export type RevokeOutcome = { kind: 'revoked'; at: string } | { kind: 'already'; at: string } | { kind: 'unknown' };

export interface TokenStore {
  /** The token's principal as of `now`; a revoked or expired token is refused. Reads, never caches. */
  lookup(token: string, now: Date): Promise<TokenLookup>;
  /**
   * Notes a use at `now` when the use last noted (`lastUsedAt`) is old enough to be worth a write;
   * undefined when it is not.
   */
  noteUse(id: string, lastUsedAt: string | null, now: Date): Promise<void> | undefined;
  /** A new token (shown once) and its id; recorded in the full-process record as `actor`'s. */
  create(spec: TokenSpec, at: string, actor: string): Promise<{ id: string; token: string }>;
  revoke(id: string, at: string, actor: string): Promise<RevokeOutcome>;
  list(): Promise<TokenInfo[]>;
}
