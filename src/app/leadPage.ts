// One lead's page: the lead as the caller may see it (the read use case records a read with
// reporters unmasked, as the API does), its record, the workflow's detail (free text masked as
// the lead is), and for staff the duplicate candidates and the leads merged into it.
import { disclosureFor, type Viewer } from '../domain/lead.ts';
import { maskDeep, textMasker } from '../domain/privacy/maskText.ts';
import { peopleOf } from '../domain/privacy/sealLead.ts';
import type { QueueReads } from '../domain/queue.ts';
import { leadEvents, type LeadEventsDeps } from './leadEvents.ts';
import { readLead, type ReadLeadDeps } from './readLead.ts';
import { sealTitles } from './sealTitles.ts';

export type LeadPageDeps = ReadLeadDeps & LeadEventsDeps & {
  pages: Pick<QueueReads, 'workflowDetail' | 'leadHeads' | 'mergedChildren' | 'reportTexts' | 'reportsOf'>;
};

/** The lead's page, or undefined (not found, or not the caller's). */
export async function leadPage(deps: LeadPageDeps, viewer: Viewer, id: string) {
  const view = await readLead(deps, viewer, id);
  if (!view) return undefined;
  const { pages } = deps;
  const disclosure = disclosureFor(viewer.role);
  const staff = viewer.role === 'bureau' || viewer.role === 'admin' || viewer.role === 'viewer';
  const [events, detail, candidates, children, texts] = await Promise.all([
    leadEvents(deps, viewer, view.id).then((e) => e?.items ?? []),
    pages.workflowDetail(view.id),
    staff ? pages.leadHeads(view.duplicateCandidates.map((c) => c.leadId)).then((rows) => sealTitles(pages, viewer, rows)) : Promise.resolve([]),
    staff ? pages.mergedChildren(view.id).then((rows) => sealTitles(pages, viewer, rows)) : Promise.resolve([]),
    disclosure === 'full' ? pages.reportTexts(view.reports.map((r) => r.id)) : Promise.resolve(new Map<string, string>()),
  ]);
  if (disclosure !== 'full') {
    // Feedback, return comments and extension reasons are free text too.
    const mask = textMasker(peopleOf((await pages.reportsOf([view.id])).get(view.id) ?? []));
    detail.lifecycle = maskDeep(detail.lifecycle, mask);
    for (const [k, v] of detail.assignments) detail.assignments.set(k, maskDeep(v, mask));
  }
  return { view, events, detail, candidates, children, texts };
}
