export interface DedupeFingerprintTable {
  report_id: string; lead_id: string; reported_at: string; data: string;
  /** From migration 005: the report's seq (as its dedupe_df_log row) and posted features, one per line. */
  seq: number | null; postings: string | null;
}
export interface DedupeDfLogTable { seq: number; report_id: string; hashes: Uint8Array; created_at: string }
export interface DedupeSketchTable { part: number; data: Uint8Array }
