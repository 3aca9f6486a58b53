// A social supervisor's own leads (我的线索): the same scoped, sealed list as GET /api/leads, with
// the assignments of each.
import type { Viewer } from '../domain/lead.ts';
import type { AssignmentRow, QueueReads } from '../domain/queue.ts';
import { listLeads, type ListLeadsDeps } from './listLeads.ts';

export async function supervisorLeads(
  deps: ListLeadsDeps & { pages: Pick<QueueReads, 'assignmentsOf'> }, viewer: Viewer, now: string,
): Promise<{ rows: { id: string; title: string; status: string; created_at: string }[]; assignments: AssignmentRow[] }> {
  const { items } = await listLeads(deps, viewer, { limit: 200, now });
  const rows = items.map((l) => ({ id: l.id, title: l.title, status: l.status, created_at: l.createdAt }));
  const assignments = await deps.pages.assignmentsOf(rows.map((r) => r.id));
  return { rows, assignments };
}
