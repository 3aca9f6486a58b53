// `xiansuo audit verify` (and the check of a backup's copy): the full-process record's hash chain,
// keyed where XIANSUO_AUDIT_KEY is given, optionally against a published head, and every lead's and
// assignment's rows against what the record last says they became.
import type { AuditKey } from '../domain/audit.ts';
import type { AuditReport, AuditVerifier } from '../domain/auditReport.ts';

export function verifyAuditRecord(
  deps: { audit: AuditVerifier }, opts: { key?: AuditKey | undefined; anchor?: { seq: number; hash: string } | undefined } = {},
): Promise<AuditReport> {
  const { key, anchor } = opts;
  return deps.audit.verify({ ...(key ? { key } : {}), ...(anchor ? { anchor } : {}) });
}
