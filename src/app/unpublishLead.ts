// Use case: the bureau withdraws a publication (撤回公示); recorded in the full-process record.
// One plan, guarded by the publication as read.
import { publicationPlan, unpublish, type Publication } from '../domain/publication/publish.ts';
import { planAndCommit } from '../domain/plan.ts';
import { findPublication } from '../db/stores/publications.ts';
import type { PublicationDeps } from './publishLead.ts';

/** undefined when the lead does not exist; throws PublicationError when it is not published. */
export async function unpublishLead(deps: PublicationDeps, leadId: string, input: { reason?: unknown }, actor: string): Promise<Publication | undefined> {
  const at = deps.clock.now().toISOString();
  return planAndCommit(deps.store, async () => {
    const lead = await deps.db.selectFrom('leads').select('id').where('id', '=', leadId).executeTakeFirst();
    if (!lead) return { done: undefined };
    const previous = await findPublication(deps.db, leadId);
    const decided = unpublish(previous, leadId, actor, at, input.reason);
    return { plan: publicationPlan(decided, previous), answer: () => decided.publication };
  });
}
