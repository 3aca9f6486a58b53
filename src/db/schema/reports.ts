export interface ReportsTable {
  id: string;
  lead_id: string;
  source: string;
  external_id: string;
  webhook_id: string | null;
  revision: number;
  content_hash: string;
  received_at: string;
  reported_at: string;
  title: string;
  content: string;
  address: string | null;
  township: string | null;
  subject: string | null;
  category: string | null;
  priority: string;
  reporter_name: string | null;
  reporter_phone: string | null;
  confidential: number;
  supervisor_id: string | null;
  outlet: string | null;
  url: string | null;
  /** JSON array of { url, kind? }. */
  evidence: string;
  duplicate: number;
  /** The JSON body of the first 2xx answer, repeated verbatim to every redelivery. */
  answer: string;
  /** The raw JSON body as received (latest revision), unknown fields included. */
  payload: string;
}

/** Earlier revisions of a report (the latest is on the report itself). */
export interface ReportRevisionsTable {
  report_id: string;
  revision: number;
  webhook_id: string | null;
  content_hash: string;
  payload: string;
  received_at: string;
}

export interface DeliveriesTable {
  webhook_id: string;
  source: string;
  body_hash: string;
  report_id: string;
  received_at: string;
}
