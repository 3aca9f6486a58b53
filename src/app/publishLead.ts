// Use case: 公开 — the bureau publishes a closed lead's result with a public summary (prefilled
// from the approved rectification, always masked), recorded in the full-process record. One plan
// (src/domain/publication/publish.ts), guarded by the lead's version and the publication as read.
import type { Kysely } from 'kysely';
import { draftSummary, publicationPlan, publish, type Publication } from '../domain/publication/publish.ts';
import { planAndCommit, type PlanCommitter } from '../domain/plan.ts';
import type { DB } from '../db/schema/index.ts';
import { findPublication, loadPublishable } from '../db/stores/publications.ts';

export interface PublicationDeps {
  db: Kysely<DB>;
  reader: Kysely<DB>;
  store: PlanCommitter;
  clock: { now(): Date };
}

/** What the bureau is offered before publishing: the masked draft and the current publication. */
export async function publicationDraft(deps: PublicationDeps, leadId: string) {
  const found = await loadPublishable(deps.reader, leadId);
  if (!found) return undefined;
  return {
    leadId, status: found.lead.status, publishable: found.lead.status === 'closed',
    draft: draftSummary(found.lead, found.personal), publication: (await findPublication(deps.reader, leadId)) ?? null,
  };
}

/** Publishes (or updates the published summary); undefined when the lead does not exist. Throws PublicationError. */
export async function publishLead(deps: PublicationDeps, leadId: string, input: { summary?: unknown }, actor: string): Promise<Publication | undefined> {
  const at = deps.clock.now().toISOString();
  return planAndCommit(deps.store, async () => {
    const found = await loadPublishable(deps.db, leadId);
    if (!found) return { done: undefined };
    const previous = await findPublication(deps.db, leadId);
    const decided = publish(found.lead, input, found.personal, actor, at, previous);
    return { plan: publicationPlan(decided, previous, found.version), answer: () => decided.publication };
  });
}
