// Intake: a verified, parsed report becomes a stored report on a lead, in one commit.
//   prior deliveries (redelivery, conflict, revision?) → de-duplication → routing →
//   plan (report, lead or merge, index rows, events; with automatic dispatch the 交办 and its
//   notice too) → commit. A plan whose guards fail (somebody stored the same report, or changed
//   the lead it merges into, first) is read and planned again; de-duplication is not run again.
// Webhooks, leads entered by hand (API and pages) all come here.
import type { Directory } from '../domain/directory.ts';
import type { DeadlinePolicy, WorkingCalendar } from '../domain/calendar/index.ts';
import {
  decidePrior, planNewReport, planRevision,
  type DedupeOutcome, type IncomingReport, type IndexRows, type IntakeOutcome, type IntakeReads, type RoutingProposal,
} from '../domain/intake.ts';
import { yearIn } from '../domain/lead.ts';
import { assignmentIds, transitionContextOf } from '../domain/lifecycle/context.ts';
import { assign, initialLeadState } from '../domain/lifecycle/index.ts';
import { leadStateWrites } from '../domain/lifecycle/rows.ts';
import { joinPlans, planAndCommit, type Plan, type PlanCommitter } from '../domain/plan.ts';
import { textMasker } from '../domain/privacy/maskText.ts';
import type { LeadDraft } from '../domain/types.ts';
import { assignmentNotices, noticeWrites, outboxIds } from '../domain/notices.ts';

export interface IntakeDeps {
  store: PlanCommitter;
  intakeReads: IntakeReads;
  dedupe(draft: LeadDraft, at: string): Promise<DedupeOutcome>;
  route(draft: LeadDraft): RoutingProposal;
  /** Once the report's index rows are committed: the in-memory index follows them. */
  indexed?(rows: IndexRows, row: { reportId: string; leadId: string; seq: number }): void;
  config: { tz: string; autoDispatch: boolean };
  directory: Directory;
  policy: DeadlinePolicy;
  calendar: { current(): WorkingCalendar };
}

export async function intake(deps: IntakeDeps, incoming: IncomingReport, at: string): Promise<IntakeOutcome> {
  let dedupe: DedupeOutcome | undefined;
  let routing: RoutingProposal | undefined;
  return planAndCommit<IntakeOutcome>(deps.store, async () => {
    const prior = decidePrior(await deps.intakeReads.prior(incoming), incoming);
    if (prior.kind === 'redelivery' || prior.kind === 'conflict') return { done: prior };
    if (prior.kind === 'revision') {
      const plan = planRevision(incoming, prior, await deps.intakeReads.report(prior.reportId), at);
      return { plan, answer: () => ({ kind: 'revised', answer: prior.answer, revision: prior.revision }) };
    }
    dedupe ??= await deps.dedupe(incoming.draft, at);
    // Routed even when it will likely join a lead: the lead it joins may turn out closed.
    routing ??= deps.route(incoming.draft);
    const decision = dedupe.decision;
    const target = decision.kind === 'merge' ? await deps.intakeReads.liveLead(decision.leadId) : undefined;
    const planned = planNewReport({
      incoming, at, year: yearIn(new Date(at), deps.config.tz), dedupe: decision, indexRows: dedupe.indexWrite, routing, target,
    });
    const plan = planned.newLead ? joinPlans(planned.plan, dispatchPlan(deps, incoming, planned.leadId, routing, at)) : planned.plan;
    const rows = dedupe.indexWrite;
    return {
      plan,
      answer: (c) => {
        const reportId = String(c.ids[planned.reportId] ?? planned.reportId);
        const leadId = String(c.ids[planned.leadId] ?? planned.leadId);
        return { kind: 'accepted', answer: { reportId, leadId, duplicate: !planned.newLead } };
      },
      onCommitted: rows && planned.indexSeq && deps.indexed
        ? (c) => deps.indexed!(rows, {
          reportId: String(c.ids[planned.reportId]), leadId: String(c.ids[planned.leadId] ?? planned.leadId),
          seq: Number(c.ids[planned.indexSeq!]),
        })
        : undefined,
    };
  });
}

/**
 * With automatic dispatch on, a lead routed with confidence to an agency (and no transfer to
 * decide) is assigned at once by the system, in the same commit that creates it, with its notice.
 */
function dispatchPlan(
  deps: IntakeDeps, incoming: IncomingReport, leadId: string, r: RoutingProposal, at: string,
): Plan {
  const none: Plan = { guards: [], writes: [], events: [], counters: [] };
  if (!deps.config.autoDispatch || !r.confident || !r.agency || r.transfer) return none;
  const d = incoming.draft;
  // Ids as every workflow use case makes them (src/app/transitionContext.ts, notices.ts).
  const ctx = transitionContextOf(deps, assignmentIds(Date.now().toString(36), () => crypto.randomUUID().slice(0, 8)));
  const before = initialLeadState({ id: leadId, priority: d.priority, routing: { agency: r.agency, transfer: null } });
  const { state: after, events } = assign(before, { id: 'system:dispatch', role: 'system' }, at, { agency: r.agency }, ctx);
  // The notice is about a lead whose one report is this one: masked for its reporter.
  const people = d.reporter.name || d.reporter.phone
    ? [{ name: d.reporter.name ?? null, phone: d.reporter.phone ?? null, confidential: Boolean(d.reporter.confidential) }]
    : [];
  const mask = textMasker(people);
  return {
    guards: [], counters: [], events,
    writes: [
      ...leadStateWrites(before, after, at, ctx.calendar, ctx.tz, new Map()),
      ...assignmentNotices(deps.directory, before, after, d.title).flatMap((n) => noticeWrites(n, () => mask, at, outboxIds(() => crypto.randomUUID()))),
    ],
  };
}
