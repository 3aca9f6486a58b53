export interface EventsTable {
  seq: number;
  lead_id: string | null;
  report_id: string | null;
  actor: string;
  action: string;
  at: string;
  /** JSON object. */
  data: string;
  prev_hash: string;
  hash: string;
  /** Canonical JSON: the lead's recorded state after this write (the last event of a lead in each write); part of the hash when present. */
  state: string | null;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  touched_at: string;
  /** The first seq hashed with XIANSUO_AUDIT_KEY (HMAC-SHA-256); null while the chain is plain SHA-256. */
  keyed_from: number | null;
  /** The key's id (an HMAC of a fixed text under the key): names the key without revealing it. */
  key_id: string | null;
  /** HMAC under the key of keyed_from and key_id: moving the keyed start needs the key. */
  key_mac: string | null;
}
