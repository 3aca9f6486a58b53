// Use case: 公开 — the bureau publishes a closed lead's result with a public summary (prefilled
// from the approved rectification, always masked), recorded in the full-process record.
import type { Kysely } from 'kysely';
import { draftSummary, publish, type Publication } from '../domain/publication/publish.ts';
import type { DB } from '../db/schema/index.ts';
import { findPublication, loadPublishable, savePublication } from '../db/stores/publications.ts';
import { write } from '../db/write.ts';

export interface PublicationDeps {
  db: Kysely<DB>;
  reader: Kysely<DB>;
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
  return write(deps.db, async (tx, rec) => {
    const found = await loadPublishable(tx, leadId);
    if (!found) return undefined;
    const { publication, event } = publish(found.lead, input, found.personal, actor, at, await findPublication(tx, leadId));
    await savePublication(tx, publication);
    rec.record(event);
    return publication;
  });
}
