// Callbacks to the sources (API.md §7) and the per-source delivery log (migration 010).
export interface SourceCallbacksTable { source: string; url: string; updated_at: string }

export interface CallbacksTable {
  /** The Standard Webhooks `webhook-id`: one per event and report, stable across retries. */
  id: string;
  key: string;
  /** Order of delivery per report (the event's place in the full-process record). */
  seq: number | string;
  source: string;
  report_id: string;
  lead_id: string;
  type: string;
  /** The JSON body, exactly as signed and sent. */
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  first_attempt_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  claim: string | null;
  claimed_until: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SourceLogTable {
  source: string;
  status: number;
  count: number | string;
  last_at: string;
  last_detail: string | null;
}
