// The storage side of intake: prior deliveries, and the one atomic commit of a report.
import type { Kysely } from 'kysely';
import {
  decidePrior, intakeEvents, type IncomingReport, type IntakeAnswer, type IntakeOutcome, type IntakePlan,
  type Prior, type PriorDecision, type RoutingProposal, MERGEABLE_STATUSES, withoutMerge,
} from '../../domain/intake.ts';
import { addChannel, formatLeadId, formatReportId, yearIn } from '../../domain/lead.ts';
import type { Priority, Source } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';
import { nextCounter, write, type Recorder, type Tx } from '../write.ts';

type Reader = Kysely<DB> | Tx;

export async function readPrior(db: Reader, incoming: IncomingReport): Promise<Prior> {
  const prior: Prior = {};
  if (incoming.webhookId) {
    const d = await db.selectFrom('deliveries').select(['body_hash', 'report_id'])
      .where('source', '=', incoming.source).where('webhook_id', '=', incoming.webhookId).executeTakeFirst();
    if (d) prior.delivery = { bodyHash: d.body_hash, reportId: d.report_id };
  }
  const r = await db.selectFrom('reports').select(['id', 'lead_id', 'content_hash', 'revision', 'answer'])
    .where('source', '=', incoming.source).where('external_id', '=', incoming.draft.externalId).executeTakeFirst();
  if (r) {
    prior.report = {
      id: r.id, leadId: r.lead_id, contentHash: r.content_hash, revision: Number(r.revision),
      answer: JSON.parse(r.answer) as IntakeAnswer,
    };
  }
  return prior;
}

/** A lead that was merged answers for the lead it was merged into, however long the chain. */
async function liveLead(tx: Tx, leadId: string): Promise<{ id: string; status: string; channels: string; report_count: number } | undefined> {
  const seen = new Set<string>();
  for (let id = leadId; !seen.has(id);) { // each hop a lead not seen before: bounded by the data
    seen.add(id);
    const row = await tx.selectFrom('leads').select(['id', 'status', 'merged_into', 'channels', 'report_count'])
      .where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    if (row.status !== 'merged' || !row.merged_into) return row;
    id = row.merged_into;
  }
  return undefined;
}

export interface IntakeHooks {
  /** Runs inside the commit that stored a report (the de-duplication index). */
  onReportStored?(tx: Tx, rec: Recorder, r: { leadId: string; reportId: string; indexWrite: unknown }): Promise<unknown>;
  /** Runs inside the commit that created a lead (automatic dispatch). */
  onNewLead?(tx: Tx, rec: Recorder, lead: { id: string; title: string; priority: Priority; routing: RoutingProposal }, at: string): Promise<unknown>;
}

export function createIntakeStore(db: Kysely<DB>, reader: Kysely<DB>, tz: string, hooks: IntakeHooks = {}) {
  return {
    readPrior: (incoming: IncomingReport) => readPrior(reader, incoming),

    commit: (plan: IntakePlan): Promise<IntakeOutcome> => write(db, async (tx, rec) => {
      const again = decidePrior(await readPrior(tx, plan.incoming), plan.incoming);
      if (again.kind === 'redelivery' || again.kind === 'conflict') return again;
      if (again.kind === 'revision') return reviseInTx(tx, rec, plan.incoming, again, plan.at);

      const { incoming, at, routing } = plan;
      const d = incoming.draft;
      const year = yearIn(new Date(at), tz);
      const reportId = formatReportId(year, await nextCounter(tx, `report-${year}`));
      // A merge goes to the lead the matched one was merged into; a closed or rejected one is not
      // reopened: the report gets a lead of its own that lists it as a candidate.
      let dedupe = plan.dedupe;
      let target: Awaited<ReturnType<typeof liveLead>>;
      if (dedupe.kind === 'merge') {
        const live = await liveLead(tx, dedupe.leadId);
        const resolved = { ...dedupe, leadId: live?.id ?? dedupe.leadId };
        if (live && MERGEABLE_STATUSES.includes(live.status)) target = live;
        dedupe = target ? resolved : withoutMerge(resolved);
      }
      let leadId: string;
      if (target) {
        leadId = target.id;
        const channels = addChannel(JSON.parse(target.channels) as Source[], incoming.source);
        await tx.updateTable('leads').set({
          channels: JSON.stringify(channels), report_count: Number(target.report_count) + 1, updated_at: at,
          ...(d.priority === 'urgent' ? { priority: 'urgent' } : {}),
        }).where('id', '=', leadId).execute();
      } else {
        leadId = formatLeadId(year, await nextCounter(tx, `lead-${year}`));
        await tx.insertInto('leads').values({
          id: leadId, status: 'triage', merged_into: null, title: d.title, content: d.content,
          priority: d.priority, address: d.address ?? null, township: d.township ?? null,
          subject: d.subject ?? null, category: d.category ?? null,
          routing_agency: routing.agency, routing_transfer: routing.transfer, routing_reason: routing.reason,
          routing_detail: JSON.stringify(routing.detail ?? null), problem_types: JSON.stringify(routing.problemTypes),
          domain: routing.domain,
          candidates: JSON.stringify(dedupe.kind === 'new' ? dedupe.candidates : []),
          channels: JSON.stringify([incoming.source]), report_count: 1, lifecycle: '{}', created_at: at, updated_at: at,
        }).execute();
      }
      const duplicate = Boolean(target);
      const answer: IntakeAnswer = { reportId, leadId, duplicate };
      await tx.insertInto('reports').values({
        id: reportId, lead_id: leadId, source: incoming.source, external_id: d.externalId,
        webhook_id: incoming.webhookId, revision: 1, content_hash: incoming.contentHash,
        received_at: at, reported_at: d.reportedAt, title: d.title, content: d.content,
        address: d.address ?? null, township: d.township ?? null, subject: d.subject ?? null,
        category: d.category ?? null, priority: d.priority,
        reporter_name: d.reporter.name ?? null, reporter_phone: d.reporter.phone ?? null,
        confidential: d.reporter.confidential ? 1 : 0, supervisor_id: d.reporter.supervisorId ?? null,
        outlet: d.reporter.outlet ?? null, url: d.url ?? null, evidence: JSON.stringify(d.evidence),
        duplicate: duplicate ? 1 : 0, answer: JSON.stringify(answer), payload: incoming.payload,
      }).execute();
      if (incoming.webhookId) {
        await tx.insertInto('deliveries').values({
          webhook_id: incoming.webhookId, source: incoming.source, body_hash: incoming.bodyHash,
          report_id: reportId, received_at: at,
        }).execute();
      }
      if (plan.indexWrite && hooks.onReportStored) await hooks.onReportStored(tx, rec, { leadId, reportId, indexWrite: plan.indexWrite });
      rec.record(...intakeEvents({ ...plan, dedupe }, { reportId, leadId, newLead: !target }));
      if (!target && hooks.onNewLead) {
        await hooks.onNewLead(tx, rec, { id: leadId, title: d.title, priority: d.priority, routing }, at);
      }
      return { kind: 'accepted', answer };
    }),

    commitRevision: (incoming: IncomingReport, decision: Extract<PriorDecision, { kind: 'revision' }>, at: string) =>
      write(db, async (tx, rec) => {
        const again = decidePrior(await readPrior(tx, incoming), incoming);
        if (again.kind !== 'revision') {
          if (again.kind === 'new') throw new Error('a revised report vanished');
          return again;
        }
        return reviseInTx(tx, rec, incoming, again, at);
      }),
  };
}

async function reviseInTx(
  tx: Tx, rec: Recorder,
  incoming: IncomingReport, decision: Extract<PriorDecision, { kind: 'revision' }>, at: string,
): Promise<IntakeOutcome> {
  const d = incoming.draft;
  // The latest payload lives on the report; the one it replaces moves to report_revisions (only
  // revision 1 can be missing there: later ones are written as they arrive).
  const current = await tx.selectFrom('reports').select(['revision', 'webhook_id', 'content_hash', 'payload', 'received_at'])
    .where('id', '=', decision.reportId).executeTakeFirstOrThrow();
  await tx.insertInto('report_revisions').values({
    report_id: decision.reportId, revision: Number(current.revision), webhook_id: current.webhook_id,
    content_hash: current.content_hash, payload: current.payload, received_at: current.received_at,
  }).onConflict((oc) => oc.columns(['report_id', 'revision']).doNothing()).execute();
  await tx.insertInto('report_revisions').values({
    report_id: decision.reportId, revision: decision.revision, webhook_id: incoming.webhookId,
    content_hash: incoming.contentHash, payload: incoming.payload, received_at: at,
  }).execute();
  await tx.updateTable('reports').set({
    revision: decision.revision, content_hash: incoming.contentHash, payload: incoming.payload,
    title: d.title, content: d.content, address: d.address ?? null, township: d.township ?? null,
    subject: d.subject ?? null, category: d.category ?? null,
    reporter_name: d.reporter.name ?? null, reporter_phone: d.reporter.phone ?? null,
    confidential: d.reporter.confidential ? 1 : 0, evidence: JSON.stringify(d.evidence),
  }).where('id', '=', decision.reportId).execute();
  if (incoming.webhookId) {
    await tx.insertInto('deliveries').values({
      webhook_id: incoming.webhookId, source: incoming.source, body_hash: incoming.bodyHash,
      report_id: decision.reportId, received_at: at,
    }).execute();
  }
  rec.record({
    leadId: decision.leadId, reportId: decision.reportId, actor: `webhook:${incoming.source}`,
    action: 'report.revised', at, data: { revision: decision.revision, webhookId: incoming.webhookId },
  });
  return { kind: 'revised', answer: decision.answer, revision: decision.revision };
}
