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
  updated_at: string;
}
