/** A lead published to the public (公示): masked text and the facts the public may read. */
export interface PublicationsTable {
  lead_id: string;
  status: string;
  summary: string;
  agency: string | null;
  domain: string | null;
  /** JSON array of problem types. */
  problem_types: string;
  received_at: string;
  closed_at: string | null;
  published_at: string;
  updated_at: string;
}
