// Intake: a verified, parsed report becomes a stored report on a lead.
// The flow reads top to bottom: prior deliveries → dedupe → route → one atomic commit.
import type { EventDraft } from './audit.ts';
import { addChannel, formatLeadId, formatReportId } from './lead.ts';
import { counterId, type CounterId, type Guard, type Plan, type Write } from './plan.ts';
import type { LeadDraft, Source, Transfer } from './types.ts';

export interface IncomingReport {
  source: Source;
  /** The Standard Webhooks `webhook-id`; null for reports entered by hand. */
  webhookId: string | null;
  /** Hash of the raw body: the same webhook-id with another body is a conflict. */
  bodyHash: string;
  /** Hash of the parsed content: the same external id with other content is a revision. */
  contentHash: string;
  /** The raw JSON text, unknown fields included. */
  payload: string;
  draft: LeadDraft;
}

export interface IntakeAnswer {
  reportId: string;
  leadId: string;
  duplicate: boolean;
}

export type IntakeOutcome =
  | { kind: 'accepted'; answer: IntakeAnswer }
  | { kind: 'redelivery'; answer: IntakeAnswer }
  | { kind: 'revised'; answer: IntakeAnswer; revision: number }
  | { kind: 'conflict'; detail: string };

/** What the store knows already about this delivery, read before (and again inside) the commit. */
export interface Prior {
  delivery?: { bodyHash: string; reportId: string };
  report?: { id: string; leadId: string; contentHash: string; revision: number; answer: IntakeAnswer };
}

export type PriorDecision =
  | { kind: 'new' }
  | { kind: 'redelivery'; answer: IntakeAnswer }
  | { kind: 'conflict'; detail: string }
  | { kind: 'revision'; reportId: string; leadId: string; revision: number; answer: IntakeAnswer };

/** The rules of API.md §2 for deliveries seen before. */
export function decidePrior(prior: Prior, incoming: IncomingReport): PriorDecision {
  if (prior.delivery) {
    if (prior.delivery.bodyHash !== incoming.bodyHash) {
      return { kind: 'conflict', detail: '该 webhook-id 已被接收过，但这次的内容不同' };
    }
    if (prior.report) return { kind: 'redelivery', answer: prior.report.answer };
  }
  if (prior.report) {
    if (prior.report.contentHash === incoming.contentHash) return { kind: 'redelivery', answer: prior.report.answer };
    return {
      kind: 'revision', reportId: prior.report.id, leadId: prior.report.leadId,
      revision: prior.report.revision + 1, answer: prior.report.answer,
    };
  }
  return { kind: 'new' };
}

export type DedupeDecision =
  | { kind: 'merge'; leadId: string; score: number; why: string }
  | { kind: 'new'; candidates: { leadId: string; score: number }[] };

export interface RoutingProposal {
  agency: string | null;
  transfer: Transfer | null;
  confident: boolean;
  reason: string;
  problemTypes: string[];
  domain: string | null;
  /** The whole explanation (candidates with scores, rules that fired), kept with the lead. */
  detail: unknown;
}

/**
 * A report's de-duplication index rows as de-duplication made them (in a worker thread, as strings
 * and the hashes' buffer: cheaper to pass and to store than objects).
 */
export interface IndexRows {
  postedAt: string;
  /** The fingerprint as JSON. */
  fingerprint: string;
  /** The posted features, one per line. */
  postings: string;
  docHashes: Uint32Array;
  /** Which look-up of the de-duplication worker made them, to hand the write back once stored. */
  ticket?: number;
}

/** What de-duplication says of a report, and the index rows it asks the intake to store. */
export interface DedupeOutcome {
  decision: DedupeDecision;
  indexWrite?: IndexRows;
}

/** Closed and rejected problems are not reopened by a new report: it becomes a lead of its own, listing the old one. */
export const MERGEABLE_STATUSES: readonly string[] = ['triage', 'assigned', 'rectifying', 'feedback', 'transferred'];

export function withoutMerge(d: DedupeDecision): DedupeDecision {
  return d.kind === 'merge' ? { kind: 'new', candidates: [{ leadId: d.leadId, score: d.score }] } : d;
}

/** The lead a merge goes to, as read: the live end of the chain the matched lead was merged along. */
export interface LiveLead {
  id: string;
  status: string;
  channels: Source[];
  priority: string;
}

/** What intake decided of a new report, before it is planned. */
export interface IntakeFacts {
  incoming: IncomingReport;
  at: string;
  /** The calendar year of `at` in the bureau's time zone (numbers restart each year). */
  year: number;
  dedupe: DedupeDecision;
  indexRows?: IndexRows;
  routing: RoutingProposal;
  /** For a merge: the live lead it goes to, or undefined when there is none any more. */
  target?: LiveLead;
}

export interface IntakePlan {
  plan: Plan;
  /** Placeholders (filled in by the commit) or, for a merge, the lead's id. */
  reportId: string;
  leadId: string;
  newLead: boolean;
  /** The decision as planned: a merge into a closed lead became a new lead listing it. */
  dedupe: DedupeDecision;
  /** The placeholder of the index rows' seq, when the report is indexed. */
  indexSeq?: string;
}

/**
 * A new report as a plan: its report and delivery rows, its new lead or the merge into a live
 * one, its index rows and its events. Guards: the delivery and the report are still unknown (a
 * redelivery that raced it is found when planning again), and the lead merged into is still
 * mergeable, with the channels read.
 */
export function planNewReport(f: IntakeFacts): IntakePlan {
  const { incoming, at, routing } = f;
  const d = incoming.draft;
  const reportNo = counterId('report', `report-${f.year}`, { prefix: formatReportId(f.year, 0).slice(0, -6), width: 6 });
  const counters: CounterId[] = [reportNo];
  const guards: Guard[] = [{
    kind: 'absent', table: 'reports', where: { source: incoming.source, external_id: d.externalId },
    reason: `来件 ${incoming.source}/${d.externalId} 已保存`,
  }];
  if (incoming.webhookId) {
    guards.push({
      kind: 'absent', table: 'deliveries', where: { source: incoming.source, webhook_id: incoming.webhookId },
      reason: `webhook-id ${incoming.webhookId} 已接收`,
    });
  }
  // A merge goes to the live lead; a closed or rejected one is not reopened: the report gets a
  // lead of its own that lists it as a candidate.
  let dedupe = f.dedupe;
  const target = dedupe.kind === 'merge' && f.target && MERGEABLE_STATUSES.includes(f.target.status) ? f.target : undefined;
  if (dedupe.kind === 'merge') {
    const resolved = { ...dedupe, leadId: f.target?.id ?? dedupe.leadId };
    dedupe = target ? resolved : withoutMerge(resolved);
  }
  const writes: Write[] = [];
  let leadId: string;
  if (target) {
    leadId = target.id;
    guards.push({
      kind: 'exists', table: 'leads', where: { id: target.id, status: target.status, channels: JSON.stringify(target.channels) },
      reason: `线索 ${target.id} 已被他人修改`,
    });
    const channels = addChannel(target.channels, incoming.source);
    const urgent = d.priority === 'urgent' && target.priority !== 'urgent';
    writes.push({
      kind: 'update', table: 'leads', where: { id: target.id },
      // The version moves: a transition decided on the lead without this report (its follow-up
      // tasks, its priority) must plan again. Merges into one lead do not guard it, so they do
      // not conflict with each other.
      set: {
        report_count: { add: 1 }, updated_at: at, version: { add: 1 },
        ...(channels.length !== target.channels.length ? { channels: JSON.stringify(channels) } : {}),
        ...(urgent ? { priority: 'urgent' } : {}),
      },
    });
  } else {
    const leadNo = counterId('lead', `lead-${f.year}`, { prefix: formatLeadId(f.year, 0).slice(0, -6), width: 6 });
    counters.push(leadNo);
    leadId = leadNo.placeholder;
    writes.push({
      kind: 'insert', table: 'leads', row: {
        id: leadId, status: 'triage', merged_into: null, title: d.title, content: d.content,
        priority: d.priority, address: d.address ?? null, township: d.township ?? null,
        subject: d.subject ?? null, category: d.category ?? null,
        routing_agency: routing.agency, routing_transfer: routing.transfer, routing_reason: routing.reason,
        routing_detail: JSON.stringify(routing.detail ?? null), problem_types: JSON.stringify(routing.problemTypes),
        domain: routing.domain,
        candidates: JSON.stringify(dedupe.kind === 'new' ? dedupe.candidates : []),
        channels: JSON.stringify([incoming.source]), report_count: 1, lifecycle: '{}', created_at: at, updated_at: at,
      },
    });
  }
  const reportId = reportNo.placeholder;
  const duplicate = Boolean(target);
  const answer: IntakeAnswer = { reportId, leadId, duplicate };
  writes.push({
    kind: 'insert', table: 'reports', row: {
      id: reportId, lead_id: leadId, source: incoming.source, external_id: d.externalId,
      webhook_id: incoming.webhookId, revision: 1, content_hash: incoming.contentHash,
      received_at: at, reported_at: d.reportedAt, title: d.title, content: d.content,
      address: d.address ?? null, township: d.township ?? null, subject: d.subject ?? null,
      category: d.category ?? null, priority: d.priority,
      reporter_name: d.reporter.name ?? null, reporter_phone: d.reporter.phone ?? null,
      confidential: d.reporter.confidential ? 1 : 0, supervisor_id: d.reporter.supervisorId ?? null,
      outlet: d.reporter.outlet ?? null, url: d.url ?? null, evidence: JSON.stringify(d.evidence),
      duplicate: duplicate ? 1 : 0, answer: JSON.stringify(answer), payload: incoming.payload,
    },
  });
  if (incoming.webhookId) {
    writes.push({
      kind: 'insert', table: 'deliveries', row: {
        webhook_id: incoming.webhookId, source: incoming.source, body_hash: incoming.bodyHash,
        report_id: reportId, received_at: at,
      },
    });
  }
  let indexSeq: string | undefined;
  if (f.indexRows) {
    // One seq for the report's fingerprint row and its document-frequency log row: instances follow both.
    const seq = counterId('dedupe-seq', 'dedupe-log');
    counters.push(seq);
    indexSeq = seq.placeholder;
    const r = f.indexRows;
    writes.push({
      kind: 'insert', table: 'dedupe_fingerprint', onConflict: { columns: ['report_id'] },
      row: { report_id: reportId, lead_id: leadId, reported_at: r.postedAt, data: r.fingerprint, seq: seq.placeholder, postings: r.postings },
    }, {
      kind: 'insert', table: 'dedupe_df_log',
      row: {
        seq: seq.placeholder, report_id: reportId, created_at: r.postedAt,
        hashes: new Uint8Array(r.docHashes.buffer, r.docHashes.byteOffset, r.docHashes.byteLength),
      },
    });
  }
  const planned = { incoming, at, dedupe, routing };
  return {
    plan: { guards, writes, counters, events: intakeEvents(planned, { reportId, leadId, newLead: !target }) },
    reportId, leadId, newLead: !target, dedupe, indexSeq,
  };
}

/** The reads intake plans on (a port: src/db/stores/intake.ts implements it). */
export interface IntakeReads {
  prior(incoming: IncomingReport): Promise<Prior>;
  /** A lead that was merged answers for the lead it was merged into, however long the chain. */
  liveLead(leadId: string): Promise<LiveLead | undefined>;
  report(reportId: string): Promise<StoredReport>;
}

/** The report a revision replaces, as read. */
export interface StoredReport {
  revision: number;
  webhookId: string | null;
  contentHash: string;
  payload: string;
  receivedAt: string;
}

/**
 * A new revision of a report already stored (a hotline adding to its work order): the latest
 * payload lives on the report, the one it replaces moves to report_revisions. Guarded by the
 * revision read.
 */
export function planRevision(
  incoming: IncomingReport, decision: Extract<PriorDecision, { kind: 'revision' }>, current: StoredReport, at: string,
): Plan {
  const d = incoming.draft;
  const guards: Guard[] = [{
    kind: 'exists', table: 'reports', where: { id: decision.reportId, revision: current.revision },
    reason: `来件 ${decision.reportId} 已有新的修订`,
  }];
  const writes: Write[] = [
    // Only revision 1 can be missing there: later ones are written as they arrive.
    {
      kind: 'insert', table: 'report_revisions', onConflict: { columns: ['report_id', 'revision'] },
      row: {
        report_id: decision.reportId, revision: current.revision, webhook_id: current.webhookId,
        content_hash: current.contentHash, payload: current.payload, received_at: current.receivedAt,
      },
    },
    {
      kind: 'insert', table: 'report_revisions', row: {
        report_id: decision.reportId, revision: decision.revision, webhook_id: incoming.webhookId,
        content_hash: incoming.contentHash, payload: incoming.payload, received_at: at,
      },
    },
    {
      kind: 'update', table: 'reports', where: { id: decision.reportId }, set: {
        revision: decision.revision, content_hash: incoming.contentHash, payload: incoming.payload,
        title: d.title, content: d.content, address: d.address ?? null, township: d.township ?? null,
        subject: d.subject ?? null, category: d.category ?? null,
        reporter_name: d.reporter.name ?? null, reporter_phone: d.reporter.phone ?? null,
        confidential: d.reporter.confidential ? 1 : 0, evidence: JSON.stringify(d.evidence),
      },
    },
  ];
  if (incoming.webhookId) {
    guards.push({
      kind: 'absent', table: 'deliveries', where: { source: incoming.source, webhook_id: incoming.webhookId },
      reason: `webhook-id ${incoming.webhookId} 已接收`,
    });
    writes.push({
      kind: 'insert', table: 'deliveries', row: {
        webhook_id: incoming.webhookId, source: incoming.source, body_hash: incoming.bodyHash,
        report_id: decision.reportId, received_at: at,
      },
    });
  }
  const events: EventDraft[] = [{
    leadId: decision.leadId, reportId: decision.reportId, actor: `webhook:${incoming.source}`,
    action: 'report.revised', at, data: { revision: decision.revision, webhookId: incoming.webhookId },
  }];
  return { guards, writes, events, counters: [] };
}

/** The events one accepted report writes into the full-process record. */
export function intakeEvents(
  planned: { incoming: IncomingReport; at: string; dedupe: DedupeDecision; routing: RoutingProposal },
  ids: { reportId: string; leadId: string; newLead: boolean },
): EventDraft[] {
  const { incoming, at, dedupe, routing } = planned;
  const actor = `webhook:${incoming.source}`;
  const received: EventDraft = {
    leadId: ids.leadId, reportId: ids.reportId, actor, action: 'report.received', at,
    data: { source: incoming.source, externalId: incoming.draft.externalId, webhookId: incoming.webhookId },
  };
  if (!ids.newLead && dedupe.kind === 'merge') {
    return [received, {
      leadId: ids.leadId, reportId: ids.reportId, actor: 'system:dedupe', action: 'lead.report-merged', at,
      data: { reportId: ids.reportId, score: dedupe.score, why: dedupe.why },
    }];
  }
  const events: EventDraft[] = [received, {
    leadId: ids.leadId, reportId: ids.reportId, actor, action: 'lead.created', at,
    data: {
      title: incoming.draft.title, source: incoming.source, priority: incoming.draft.priority,
      duplicateCandidates: dedupe.kind === 'new' ? dedupe.candidates : [],
    },
  }];
  events.push({
    leadId: ids.leadId, reportId: null, actor: 'system:routing', action: 'lead.routed', at,
    data: {
      agency: routing.agency, transfer: routing.transfer, confident: routing.confident,
      reason: routing.reason, detail: routing.detail ?? null,
    },
  });
  return events;
}
