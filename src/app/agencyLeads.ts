// An agency's own leads (本单位线索), open ones first by the deadline that matters now, titles
// sealed (an agency reads reporters masked).
import type { Viewer } from '../domain/lead.ts';
import type { AgencyQueueRow, QueueReads } from '../domain/queue.ts';
import { sealTitles } from './sealTitles.ts';

export async function agencyLeads(
  deps: { pages: Pick<QueueReads, 'agencyQueue' | 'reportsOf'> }, viewer: Pick<Viewer, 'role' | 'agency'>, page: number, pageSize: number,
): Promise<{ rows: AgencyQueueRow[]; total: number }> {
  // No agency: nothing of anyone's (no agency is named NUL).
  const list = await deps.pages.agencyQueue(viewer.agency ?? '\u0000', page, pageSize);
  return { ...list, rows: await sealTitles(deps.pages, viewer, list.rows) };
}
