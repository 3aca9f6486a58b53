// What `audit verify` (and the check of a backup's copy) finds, and the port the audit store
// implements (src/db/stores/audit.ts).
import type { AuditKey, VerifyResult } from './audit.ts';

export interface StateCheck {
  /** Leads whose rows were compared with their recorded state. */
  checked: number;
  /** Leads with events but no recorded state yet (written before 007_token_lifecycle; recorded at their next change). */
  unrecorded: number;
  /** One Chinese sentence per difference, at most `limit`. */
  differences: string[];
  /** All differences found, also those beyond the list. */
  total: number;
}

export interface AuditReport {
  /** The chain holds and every recorded state matches its rows. */
  ok: boolean;
  chain: VerifyResult;
  /** Compared only when the chain holds (a broken chain makes the recorded states untrustworthy). */
  states?: StateCheck;
  /** The chain head as read (seq and hash), for publishing. */
  head: { seq: number; hash: string };
}

export interface AuditVerifier {
  /** Reads the whole record and the rows in one read transaction and checks them. */
  verify(opts: { key?: AuditKey; anchor?: { seq: number; hash: string } }): Promise<AuditReport>;
}
