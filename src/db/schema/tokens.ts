export interface TokensTable {
  id: string;
  /** SHA-256 of the bearer token, hex. The token itself is never stored. */
  hash: string;
  role: string;
  agency: string | null;
  supervisor_id: string | null;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
  /** When the token stops working; null: never (admin tokens only). */
  expires_at: string | null;
  /** The last request it authenticated, updated at most once a minute. */
  last_used_at: string | null;
}
