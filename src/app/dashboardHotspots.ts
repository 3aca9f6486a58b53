// The hotspots on the dashboard (热点提示), with their leads' titles as the caller may read them.
import type { Viewer } from '../domain/lead.ts';
import type { QueueReads } from '../domain/queue.ts';
import { currentHotspots, type HotspotDeps, type HotspotReport } from './hotspots.ts';
import { sealTitles } from './sealTitles.ts';

export async function dashboardHotspots(
  deps: HotspotDeps & { pages: Pick<QueueReads, 'reportsOf'> }, viewer: Pick<Viewer, 'role'>,
): Promise<HotspotReport> {
  const report = await currentHotspots(deps);
  for (const h of report.hotspots) h.leads = await sealTitles(deps.pages, viewer, h.leads);
  return report;
}
