// Titles as a caller may read them, for the pages' own lists (the queue, an agency's leads,
// candidates, hotspots, a campaign's leads): whole for the bureau, otherwise without personal data.
import { disclosureFor, type Viewer } from '../domain/lead.ts';
import { textMasker } from '../domain/privacy/maskText.ts';
import { peopleOf } from '../domain/privacy/sealLead.ts';
import type { QueueReads } from '../domain/queue.ts';

export async function sealTitles<T extends { id: string; title: string }>(
  reads: Pick<QueueReads, 'reportsOf'>, viewer: Pick<Viewer, 'role'>, rows: T[],
): Promise<T[]> {
  if (disclosureFor(viewer.role) === 'full' || rows.length === 0) return rows;
  const reports = await reads.reportsOf(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, title: textMasker(peopleOf(reports.get(r.id) ?? []))(r.title) }));
}
