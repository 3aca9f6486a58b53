export interface AgenciesTable {
  code: string;
  name: string;
  kind: string;
  email: string;
  head_email: string;
  township: string | null;
  /** JSON array of { kind, url } group robots. */
  robots: string;
  updated_at: string;
}
