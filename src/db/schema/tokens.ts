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
}
