export interface AssignmentsTable {
  id: string;
  lead_id: string;
  agency: string;
  role: string;
  status: string;
  assigned_at: string;
  ack_due_at: string | null;
  due_at: string | null;
  calendar_provisional: number;
  ack_basis: string | null;
  due_basis: string | null;
  deadline_version: number | null;
  acknowledged_at: string | null;
  closed_at: string | null;
  /** JSON: feedback, returned, extension. */
  detail: string | null;
  /** When the sweep must next look at this assignment; null when nothing more can fall due. */
  next_reminder_at: string | null;
  updated_at: string;
}
