// Campaigns tag the leads that arrive while they are open: on every sweep, each open campaign
// whose period has begun applies its rule (field, agencies, words) to the leads registered in its
// period that are neither tagged nor taken out by hand, and tags those it matches, each with a
// `campaign.tagged` event (via 'rule'). A lead that comes to match later (assigned to the agency,
// its field set in triage) is tagged on the sweep after that. A closed campaign tags nothing.
import type { Kysely } from 'kysely';
import { addDays, localDate, startOfLocalDay } from '../domain/calendar/index.ts';
import { hasRule, matchesCampaign } from '../domain/campaigns.ts';
import type { Clock } from '../domain/types.ts';
import type { DB } from '../db/schema/index.ts';
import { campaignCandidates, excludedLeads, listCampaigns, tagLeads } from '../db/stores/campaigns.ts';
import { write } from '../db/write.ts';

export interface TaggerDeps {
  db: Kysely<DB>;
  reader: Kysely<DB>;
  clock: Clock;
  config: { tz: string };
}

/** Returns how many leads were tagged, over all open campaigns. */
export async function tagCampaignLeads(deps: TaggerDeps, now: Date = deps.clock.now()): Promise<number> {
  const tz = deps.config.tz;
  const today = localDate(now, tz);
  const at = now.toISOString();
  let tagged = 0;
  for (const c of await listCampaigns(deps.reader, 'open')) {
    if (!hasRule(c) || c.startsOn > today) continue;
    const from = new Date(startOfLocalDay(c.startsOn, tz)).toISOString();
    const end = new Date(startOfLocalDay(addDays(c.endsOn, 1), tz)).toISOString();
    const to = end < at ? end : at;
    const matched = (await campaignCandidates(deps.reader, from, to, c))
      .filter((l) => matchesCampaign(c, { ...l, createdOn: localDate(l.createdAt, tz) })).map((l) => l.id);
    if (matched.length === 0) continue;
    tagged += await write(deps.db, async (tx, rec) => {
      // Closed, or a lead excluded by hand, since the read: the commit decides under its own read.
      const still = await tx.selectFrom('campaigns').select('status').where('id', '=', c.id).executeTakeFirst();
      if (still?.status !== 'open') return 0;
      const excluded = await excludedLeads(tx, c.id);
      const fresh = await tagLeads(tx, c.id, matched.filter((l) => !excluded.has(l)), 'rule', at);
      rec.record(...fresh.map((leadId) => ({ leadId, actor: 'system:sweep', action: 'campaign.tagged', at, data: { campaign: c.id, via: 'rule' } })));
      return fresh.length;
    });
  }
  return tagged;
}
