// The bureau's queue page (线索列表): one page with every filter, titles sealed for the caller, and
// the assignments of the leads on it.
import { disclosureFor, type Viewer } from '../domain/lead.ts';
import type { AssignmentRow, QueueFilters, QueuePage, QueueReads } from '../domain/queue.ts';
import { soonUntil, type DueSoonDeps } from './attentionCounts.ts';
import { sealTitles } from './sealTitles.ts';

export async function bureauQueue(
  deps: DueSoonDeps & { pages: Pick<QueueReads, 'queuePage' | 'assignmentsOf' | 'reportsOf'> },
  viewer: Pick<Viewer, 'role'>, f: Omit<QueueFilters, 'soonUntil'>,
): Promise<QueuePage & { assignments: AssignmentRow[]; searchIgnored: boolean }> {
  // Searching the whole text would let a caller who reads it masked probe for a phone or a name.
  const search = disclosureFor(viewer.role) === 'full' ? f.q : undefined;
  const page = await deps.pages.queuePage({ ...f, q: search, soonUntil: soonUntil(deps, f.now) });
  const assignments = await deps.pages.assignmentsOf(page.rows.map((r) => r.id));
  return { ...page, rows: await sealTitles(deps.pages, viewer, page.rows), assignments, searchIgnored: Boolean(f.q) && !search };
}
