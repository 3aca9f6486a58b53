export interface RemindersTable {
  assignment_id: string;
  /** `v{deadlineVersion}:{kind}:{stage}`, unique per assignment. */
  key: string;
  lead_id: string;
  stage: string;
  due_at: string;
  created_at: string;
  /** 0 when the stage was superseded by a later one and recorded without a mail. */
  sent: number;
}

export interface OutboxTable {
  id: string;
  key: string;
  channel: string;
  lead_id: string | null;
  agency: string | null;
  message: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  first_attempt_at: string | null;
  last_error: string | null;
  claim: string | null;
  claimed_until: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface FollowUpsTable {
  id: string;
  lead_id: string;
  report_id: string;
  round: number;
  status: string;
  satisfied: number | null;
  comment: string | null;
  created_at: string;
  done_at: string | null;
}

export interface CalendarOverridesTable { year: number; data: string; updated_at: string }

export interface JobRunsTable { key: string; at: string }
