// Bulk loading of generated history, for benchmarks and demonstrations that need a store of
// 10 k–1 M leads: intake one webhook at a time cannot build that in reasonable time.
//
// What it writes is a *synthetic history without chain*: leads, their reports, assignments,
// reminders and follow-ups as the application's rows look after the writes that would have made
// them (the same columns, the app's defaults for what the caller leaves out: '[]' for JSON lists,
// '{}' for the lifecycle, 0 for flags), inserted in large multi-row statements through kysely on
// SQLite and PostgreSQL alike (one transaction per call, or the caller's). It writes no events:
// the audit chain does not cover these rows, so `xiansuo audit verify` reports only what was
// written after them (a bench that needs a chain writes its events through write(), as
// bench/audit-verify.ts does). It keeps the invariants later writes rely on:
//   • the readable-id counters (lead-YYYY, report-YYYY) are moved past every loaded id of the
//     app's form (XS-YYYY-NNNNNN, RP-YYYY-NNNNNN), so the next intake does not collide;
//   • every report, assignment, reminder and follow-up names a lead of the same call or one
//     already stored (checked for the rows of the call before anything is written);
//   • a lead's report_count defaults to its reports in the call (at least 1) and its channels to
//     their sources in order (["hotline"] without any).
// De-duplication index rows are not written by bulkLoad: a store loaded with it alone has no
// postings, so look-ups never find those leads. bulkLoadDedupeIndex writes generated fingerprint
// rows (with their postings) and a document-frequency snapshot, as bench/dedupe.ts needs.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CountMinSketch } from '../../domain/dedupe/sketch.ts';
import { flavourOf } from '../commit.ts';
import type { DB } from '../schema/index.ts';

export interface SyntheticLead {
  id: string;
  status: string;
  title: string;
  content: string;
  createdAt: string;
  /** Default: createdAt. */
  updatedAt?: string;
  priority?: 'normal' | 'urgent';
  mergedInto?: string | null;
  address?: string | null;
  township?: string | null;
  subject?: string | null;
  category?: string | null;
  routingAgency?: string | null;
  domain?: string | null;
  problemTypes?: string[];
  /** Default: the sources of this call's reports for the lead, in order, or ["hotline"]. */
  channels?: string[];
  /** Default: this call's reports for the lead, at least 1. */
  reportCount?: number;
  /** The lifecycle JSON object (pending extension, reopened …); default {}. */
  lifecycle?: Record<string, unknown>;
}

export interface SyntheticReport {
  id: string;
  leadId: string;
  source: string;
  externalId: string;
  receivedAt: string;
  /** Default: receivedAt. */
  reportedAt?: string;
  title: string;
  content: string;
  priority?: 'normal' | 'urgent';
  township?: string | null;
  address?: string | null;
}

export interface SyntheticAssignment {
  id: string;
  leadId: string;
  agency: string;
  role?: 'primary' | 'assisting';
  status: string;
  assignedAt: string;
  ackDueAt?: string | null;
  dueAt?: string | null;
  ackBasis?: string | null;
  dueBasis?: string | null;
  acknowledgedAt?: string | null;
  closedAt?: string | null;
  /** The detail JSON object (anchors, feedback, returned, extension); default {}. */
  detail?: Record<string, unknown>;
  nextReminderAt?: string | null;
  /** Default: assignedAt. */
  updatedAt?: string;
}

export interface SyntheticReminder {
  assignmentId: string;
  leadId: string;
  key: string;
  stage: string;
  dueAt: string;
  createdAt: string;
  sent: boolean;
}

export interface SyntheticFollowUp {
  id: string;
  leadId: string;
  reportId: string;
  round: number;
  status: string;
  satisfied: boolean | null;
  comment?: string | null;
  createdAt: string;
  doneAt: string | null;
}

export interface SyntheticHistory {
  leads?: SyntheticLead[];
  reports?: SyntheticReport[];
  assignments?: SyntheticAssignment[];
  reminders?: SyntheticReminder[];
  followUps?: SyntheticFollowUp[];
  /** Scheduled work recorded as done (job_runs), as if another instance had done it: the digests of a day, say. */
  jobRuns?: { key: string; at: string }[];
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const PARAMETERS = 30_000;

const ID_FORM = /^(XS|RP)-(\d{4})-(\d{6})$/;

type Db = Kysely<DB> | Transaction<DB>;

async function insertChunked<T extends keyof DB & string>(db: Db, table: T, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const per = Math.max(1, Math.floor(PARAMETERS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += per) {
    await db.insertInto(table).values(rows.slice(i, i + per) as never).execute();
  }
}

/** Leads named by the rows of a call that are neither in the call nor stored: the call is refused. */
async function missingLeads(db: Db, history: SyntheticHistory, loaded: Set<string>): Promise<string[]> {
  const named = new Set<string>();
  for (const list of [history.reports, history.assignments, history.reminders, history.followUps]) {
    for (const r of list ?? []) if (!loaded.has(r.leadId)) named.add(r.leadId);
  }
  const missing: string[] = [];
  const ids = [...named];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const found = new Set((await db.selectFrom('leads').select('id').where('id', 'in', part).execute()).map((r) => r.id));
    for (const id of part) if (!found.has(id)) missing.push(id);
  }
  return missing;
}

/**
 * Writes a generated history in one transaction (or in the caller's, when `db` is one). Returns
 * how many rows of each kind were written. Throws, writing nothing, when a row names a lead that
 * is neither in the call nor stored.
 */
export async function bulkLoad(db: Kysely<DB>, history: SyntheticHistory): Promise<Record<keyof SyntheticHistory, number>> {
  const leads = history.leads ?? [];
  const reports = history.reports ?? [];
  const loaded = new Set(leads.map((l) => l.id));
  const sources = new Map<string, string[]>();
  for (const r of reports) {
    const list = sources.get(r.leadId);
    if (!list) sources.set(r.leadId, [r.source]);
    else list.push(r.source);
  }
  const run = async (tx: Db) => {
    const missing = await missingLeads(tx, history, loaded);
    if (missing.length) throw new Error(`bulkLoad: rows name leads that do not exist: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`);
    await insertChunked(tx, 'leads', leads.map((l) => {
      const from = sources.get(l.id);
      return {
        id: l.id, status: l.status, merged_into: l.mergedInto ?? null, title: l.title, content: l.content,
        priority: l.priority ?? 'normal', address: l.address ?? null, township: l.township ?? null,
        subject: l.subject ?? null, category: l.category ?? null, routing_agency: l.routingAgency ?? null,
        routing_transfer: null, routing_reason: null, routing_detail: null,
        problem_types: JSON.stringify(l.problemTypes ?? []), domain: l.domain ?? null, candidates: '[]',
        channels: JSON.stringify(l.channels ?? (from ? [...new Set(from)] : ['hotline'])),
        report_count: l.reportCount ?? Math.max(1, from?.length ?? 0),
        lifecycle: JSON.stringify(l.lifecycle ?? {}), created_at: l.createdAt, updated_at: l.updatedAt ?? l.createdAt,
      };
    }));
    await insertChunked(tx, 'reports', reports.map((r) => ({
      id: r.id, lead_id: r.leadId, source: r.source, external_id: r.externalId, webhook_id: null, revision: 1,
      content_hash: `synthetic:${r.id}`, received_at: r.receivedAt, reported_at: r.reportedAt ?? r.receivedAt,
      title: r.title, content: r.content, address: r.address ?? null, township: r.township ?? null, subject: null,
      category: null, priority: r.priority ?? 'normal', reporter_name: null, reporter_phone: null, confidential: 0,
      supervisor_id: null, outlet: null, url: null, evidence: '[]', duplicate: 0,
      answer: JSON.stringify({ reportId: r.id, leadId: r.leadId, duplicate: false }), payload: '{}',
    })));
    await insertChunked(tx, 'assignments', (history.assignments ?? []).map((a) => ({
      id: a.id, lead_id: a.leadId, agency: a.agency, role: a.role ?? 'primary', status: a.status, assigned_at: a.assignedAt,
      ack_due_at: a.ackDueAt ?? null, due_at: a.dueAt ?? null, calendar_provisional: 0, ack_basis: a.ackBasis ?? null,
      due_basis: a.dueBasis ?? null, deadline_version: 1, acknowledged_at: a.acknowledgedAt ?? null, closed_at: a.closedAt ?? null,
      detail: JSON.stringify(a.detail ?? {}), next_reminder_at: a.nextReminderAt ?? null, updated_at: a.updatedAt ?? a.assignedAt,
    })));
    await insertChunked(tx, 'reminders', (history.reminders ?? []).map((r) => ({
      assignment_id: r.assignmentId, key: r.key, lead_id: r.leadId, stage: r.stage, due_at: r.dueAt, created_at: r.createdAt, sent: r.sent ? 1 : 0,
    })));
    await insertChunked(tx, 'follow_ups', (history.followUps ?? []).map((f) => ({
      id: f.id, lead_id: f.leadId, report_id: f.reportId, round: f.round, status: f.status,
      satisfied: f.satisfied === null ? null : f.satisfied ? 1 : 0, comment: f.comment ?? null, created_at: f.createdAt, done_at: f.doneAt,
    })));
    for (const j of history.jobRuns ?? []) {
      await tx.insertInto('job_runs').values(j).onConflict((oc) => oc.column('key').doNothing()).execute();
    }
    await moveCounters(tx, [...loaded, ...reports.map((r) => r.id)]);
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
  return {
    leads: leads.length, reports: reports.length, assignments: history.assignments?.length ?? 0,
    reminders: history.reminders?.length ?? 0, followUps: history.followUps?.length ?? 0, jobRuns: history.jobRuns?.length ?? 0,
  };
}

/**
 * After a bulk load: the planner's statistics, as a store that grew over time would have them (the
 * app never runs ANALYZE itself). SQLite: ANALYZE of the file. PostgreSQL: VACUUM ANALYZE of the
 * tables bulkLoad writes (the visibility map too, which index-only scans need).
 */
export async function analyzeLoaded(db: Kysely<DB>): Promise<void> {
  if (flavourOf(db) === 'postgres') await sql`vacuum analyze leads, reports, assignments, reminders, follow_ups`.execute(db);
  else await sql`analyze`.execute(db);
}

export interface SyntheticFingerprint {
  reportId: string;
  leadId: string;
  reportedAt: string;
  /** The fingerprint as intake stores it (JSON of a ReportFingerprint, or a smaller stub). */
  data: string;
  /** The posted features, one per line, as intake stores them; null: none (outside the window). */
  postings: string | null;
}

/** Parts of a stored sketch snapshot (as docFreq.ts compaction writes it). */
const SKETCH_PARTS = 64;

/**
 * Writes generated de-duplication index rows in one transaction: fingerprints (no `seq`: they are
 * read as the stored window when an instance starts, never followed as new), and, when given,
 * a document-frequency snapshot of `docs` documents replacing the stored one. The report counters
 * are moved past the loaded report ids of the app's form, as bulkLoad does for leads. The leads
 * named must exist (load them with bulkLoad first); nothing is checked here for speed.
 */
export async function bulkLoadDedupeIndex(
  db: Kysely<DB>, index: { fingerprints?: SyntheticFingerprint[]; snapshot?: { sketch: CountMinSketch; docs: number } },
): Promise<number> {
  const fingerprints = index.fingerprints ?? [];
  const run = async (tx: Db) => {
    await insertChunked(tx, 'dedupe_fingerprint', fingerprints.map((f) => ({
      report_id: f.reportId, lead_id: f.leadId, reported_at: f.reportedAt, data: f.data, postings: f.postings,
    })));
    if (index.snapshot) {
      const parts = index.snapshot.sketch.toParts(SKETCH_PARTS);
      for (let part = 0; part < parts.length; part++) {
        const data = Buffer.from(parts[part]!);
        await tx.insertInto('dedupe_sketch').values({ part, data }).onConflict((oc) => oc.column('part').doUpdateSet({ data })).execute();
      }
      const last = index.snapshot.docs;
      await tx.insertInto('counters').values({ name: 'dedupe-docs', last }).onConflict((oc) => oc.column('name').doUpdateSet({ last })).execute();
    }
    await moveCounters(tx, fingerprints.map((f) => f.reportId));
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
  return fingerprints.length;
}

/** The readable-id counters (lead-YYYY, report-YYYY) past every id of the app's form in `ids`. */
async function moveCounters(tx: Db, ids: Iterable<string>): Promise<void> {
  const last = new Map<string, number>();
  for (const id of ids) {
    const m = ID_FORM.exec(id);
    if (!m) continue;
    const name = `${m[1] === 'XS' ? 'lead' : 'report'}-${m[2]}`;
    last.set(name, Math.max(last.get(name) ?? 0, Number(m[3])));
  }
  for (const [name, n] of last) {
    await tx.insertInto('counters').values({ name, last: n })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({
        last: sql<number>`case when ${eb.ref('counters.last')} > ${n} then ${eb.ref('counters.last')} else ${n} end`,
      })))
      .execute();
  }
}
