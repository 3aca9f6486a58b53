// Use case: the bureau withdraws a publication (撤回公示); recorded in the full-process record.
import { unpublish, type Publication } from '../domain/publication/publish.ts';
import { findPublication, savePublication } from '../db/stores/publications.ts';
import { write } from '../db/write.ts';
import type { PublicationDeps } from './publishLead.ts';

/** undefined when the lead does not exist; throws PublicationError when it is not published. */
export async function unpublishLead(deps: PublicationDeps, leadId: string, input: { reason?: unknown }, actor: string): Promise<Publication | undefined> {
  const at = deps.clock.now().toISOString();
  return write(deps.db, async (tx, rec) => {
    const lead = await tx.selectFrom('leads').select('id').where('id', '=', leadId).executeTakeFirst();
    if (!lead) return undefined;
    const { publication, event } = unpublish(await findPublication(tx, leadId), leadId, actor, at, input.reason);
    await savePublication(tx, publication);
    rec.record(event);
    return publication;
  });
}
