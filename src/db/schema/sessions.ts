export interface SessionsTable {
  /** SHA-256 of the cookie's session id, hex. The id itself is never stored. */
  id_hash: string;
  token_id: string;
  role: string;
  agency: string | null;
  supervisor_id: string | null;
  /** The per-session CSRF token every form carries. */
  csrf: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute expiry (12 hours after sign-in). */
  expires_at: string;
  ended_at: string | null;
}

export interface LoginLinksTable {
  /** SHA-256 of the link's one-time code, hex. */
  hash: string;
  token_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
