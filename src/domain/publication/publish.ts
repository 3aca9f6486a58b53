// Deciding a publication (公示): only a closed lead, a summary the public may read (masked), and
// the event that records it in the full-process record.
import type { EventDraft } from '../audit.ts';
import type { Guard, Plan } from '../plan.ts';
import { maskPersonalData, type KnownPersonalData } from './mask.ts';

export const SUMMARY_MAX = 2000;

export class PublicationError extends Error {
  constructor(readonly code: 'state' | 'invalid', message: string) {
    super(message);
  }
}

export interface PublishableLead {
  id: string;
  status: string;
  createdAt: string;
  domain: string | null;
  problemTypes: string[];
  /** The agency that rectified (the closed primary assignment) and its approved feedback. */
  agency: string | null;
  closedAt: string | null;
  feedback: { summary: string; measures: string } | null;
}

export interface Publication {
  leadId: string;
  status: 'published' | 'withdrawn';
  summary: string;
  agency: string | null;
  domain: string | null;
  problemTypes: string[];
  receivedAt: string;
  closedAt: string | null;
  publishedAt: string;
  updatedAt: string;
}

/** The summary offered by default: the approved rectification, masked. */
export function draftSummary(lead: PublishableLead, personal: KnownPersonalData): string {
  if (!lead.feedback) return '';
  const text = lead.feedback.measures ? `${lead.feedback.summary}。整改措施：${lead.feedback.measures}` : lead.feedback.summary;
  return maskPersonalData(text.replace(/。。/g, '。'), personal).slice(0, SUMMARY_MAX);
}

export function publish(
  lead: PublishableLead, input: { summary?: unknown }, personal: KnownPersonalData, actor: string, at: string,
  previous?: Publication,
): { publication: Publication; event: EventDraft } {
  if (lead.status !== 'closed') throw new PublicationError('state', '只有已办结的线索可以公示');
  if (input.summary !== undefined && typeof input.summary !== 'string') throw new PublicationError('invalid', 'summary 应为文字');
  const given = typeof input.summary === 'string' ? input.summary.trim() : '';
  const summary = given ? maskPersonalData(given, personal) : draftSummary(lead, personal);
  if (!summary) throw new PublicationError('invalid', '没有可公示的摘要：该线索没有通过审核的整改反馈，请填写 summary');
  if ([...summary].length > SUMMARY_MAX) throw new PublicationError('invalid', `摘要不能超过 ${SUMMARY_MAX} 个字`);
  const publication: Publication = {
    leadId: lead.id, status: 'published', summary, agency: lead.agency, domain: lead.domain, problemTypes: lead.problemTypes,
    receivedAt: lead.createdAt, closedAt: lead.closedAt,
    publishedAt: previous?.status === 'published' ? previous.publishedAt : at, updatedAt: at,
  };
  return {
    publication,
    event: { leadId: lead.id, actor, action: previous?.status === 'published' ? 'lead.publication.updated' : 'lead.published', at, data: { summary } },
  };
}

export function unpublish(previous: Publication | undefined, leadId: string, actor: string, at: string, reason?: unknown) {
  if (!previous || previous.status !== 'published') throw new PublicationError('state', '该线索当前没有公示');
  return {
    publication: { ...previous, status: 'withdrawn' as const, updatedAt: at },
    event: { leadId, actor, action: 'lead.unpublished', at, data: typeof reason === 'string' && reason.trim() ? { reason: reason.trim().slice(0, 500) } : {} },
  };
}

/**
 * A publication decided (publish or unpublish) as a plan: its row, its event, and the guards that
 * the publication is still as read (or still absent) and, when given, the lead still at the
 * version it was decided on (a report or a transition meanwhile changes what may be published).
 */
export function publicationPlan(
  decided: { publication: Publication; event: EventDraft }, previous: Publication | undefined, leadVersion?: number,
): Plan {
  const p = decided.publication;
  const guards: Guard[] = [previous
    ? { kind: 'exists', table: 'publications', where: { lead_id: p.leadId, status: previous.status, updated_at: previous.updatedAt }, reason: `线索 ${p.leadId} 的公示已被他人修改` }
    : { kind: 'absent', table: 'publications', where: { lead_id: p.leadId }, reason: `线索 ${p.leadId} 的公示已被他人修改` }];
  if (leadVersion !== undefined) {
    guards.push({ kind: 'exists', table: 'leads', where: { id: p.leadId, version: leadVersion }, reason: `线索 ${p.leadId} 已被他人修改` });
  }
  const row = {
    status: p.status, summary: p.summary, agency: p.agency, domain: p.domain, problem_types: JSON.stringify(p.problemTypes),
    received_at: p.receivedAt, closed_at: p.closedAt, published_at: p.publishedAt, updated_at: p.updatedAt,
  };
  return {
    guards,
    writes: [{ kind: 'insert', table: 'publications', row: { lead_id: p.leadId, ...row }, onConflict: { columns: ['lead_id'], update: Object.keys(row) } }],
    events: [decided.event], counters: [],
  };
}
