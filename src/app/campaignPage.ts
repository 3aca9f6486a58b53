// A campaign's page (专项整治): the campaign, its figures and its latest leads, titles sealed for the caller.
import type { Viewer } from '../domain/lead.ts';
import type { QueueReads } from '../domain/queue.ts';
import { campaignView, type CampaignDeps } from './campaigns.ts';
import { sealTitles } from './sealTitles.ts';

/** How many of a campaign's leads its page lists. */
export const CAMPAIGN_LEADS_SHOWN = 200;

export async function campaignPage(
  deps: CampaignDeps & { pages: Pick<QueueReads, 'campaignLeads' | 'reportsOf'> }, viewer: Pick<Viewer, 'role'>, id: string,
) {
  const view = await campaignView(deps, id);
  const leads = await sealTitles(deps.pages, viewer, await deps.pages.campaignLeads(id, CAMPAIGN_LEADS_SHOWN));
  return { ...view, list: leads };
}
