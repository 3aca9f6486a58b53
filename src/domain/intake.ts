// Intake: a verified, parsed report becomes a stored report on a lead.
// The flow reads top to bottom: prior deliveries → dedupe → route → one atomic commit.
import type { EventDraft } from './audit.ts';
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

/** What de-duplication says of a report, and what it asks the store to index (opaque here). */
export interface DedupeOutcome {
  decision: DedupeDecision;
  indexWrite?: unknown;
}

export interface IntakePlan {
  incoming: IncomingReport;
  at: string;
  dedupe: DedupeDecision;
  indexWrite?: unknown;
  routing: RoutingProposal;
}

/** Closed and rejected problems are not reopened by a new report: it becomes a lead of its own, listing the old one. */
export const MERGEABLE_STATUSES: readonly string[] = ['triage', 'assigned', 'rectifying', 'feedback', 'transferred'];

export function withoutMerge(d: DedupeDecision): DedupeDecision {
  return d.kind === 'merge' ? { kind: 'new', candidates: [{ leadId: d.leadId, score: d.score }] } : d;
}

export interface IntakePorts {
  readPrior(incoming: IncomingReport): Promise<Prior>;
  dedupe(draft: LeadDraft, at: string): Promise<DedupeOutcome>;
  route(draft: LeadDraft): RoutingProposal;
  /** One atomic write. Re-reads the prior state inside the commit so that races resolve by unique keys. */
  commit(plan: IntakePlan): Promise<IntakeOutcome>;
  /** A new revision of a report already stored (a hotline adding to its work order). */
  commitRevision(incoming: IncomingReport, decision: Extract<PriorDecision, { kind: 'revision' }>, at: string): Promise<IntakeOutcome>;
}

export async function receiveReport(ports: IntakePorts, incoming: IncomingReport, at: string): Promise<IntakeOutcome> {
  const prior = decidePrior(await ports.readPrior(incoming), incoming);
  if (prior.kind === 'redelivery' || prior.kind === 'conflict') return prior;
  if (prior.kind === 'revision') return ports.commitRevision(incoming, prior, at);
  const { decision, indexWrite } = await ports.dedupe(incoming.draft, at);
  // Routed even when it will likely join a lead: the lead it joins may turn out closed.
  const routing = ports.route(incoming.draft);
  return ports.commit({ incoming, at, dedupe: decision, indexWrite, routing });
}

/** The events one accepted report writes into the full-process record. */
export function intakeEvents(
  plan: IntakePlan,
  ids: { reportId: string; leadId: string; newLead: boolean },
): EventDraft[] {
  const { incoming, at, dedupe, routing } = plan;
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
