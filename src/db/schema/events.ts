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
}

export interface AuditHeadTable { id: number; seq: number; hash: string; touched_at: string }
