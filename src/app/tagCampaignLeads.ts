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
import { campaignCandidates, excludedLeads, listCampaigns } from '../db/stores/campaigns.ts';
import { planAndCommit, type Plan, type PlanCommitter } from '../domain/plan.ts';

export interface TaggerDeps {
  db: Kysely<DB>;
  reader: Kysely<DB>;
  store: PlanCommitter;
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
    tagged += await planAndCommit<number>(deps.store, async () => {
      // Closed, or a lead tagged or excluded by hand, since the read: the plan is guarded against
      // each, and a failed guard reads again.
      const still = await deps.db.selectFrom('campaigns').select('status').where('id', '=', c.id).executeTakeFirst();
      if (still?.status !== 'open') return { done: 0 };
      const excluded = await excludedLeads(deps.db, c.id);
      const tagged = new Set<string>();
      for (let i = 0; i < matched.length; i += 90) { // D1 binds at most 100 values per statement
        const rows = await deps.db.selectFrom('campaign_leads').select('lead_id').where('campaign_id', '=', c.id)
          .where('lead_id', 'in', matched.slice(i, i + 90)).execute();
        for (const r of rows) tagged.add(r.lead_id);
      }
      const fresh = matched.filter((l) => !excluded.has(l) && !tagged.has(l));
      if (fresh.length === 0) return { done: 0 };
      const plan: Plan = {
        guards: [
          { kind: 'exists', table: 'campaigns', where: { id: c.id, status: 'open' }, reason: `专项行动 ${c.id} 已结束` },
          ...fresh.flatMap((lead_id): Plan['guards'] => [
            { kind: 'absent', table: 'campaign_exclusions', where: { campaign_id: c.id, lead_id }, reason: `线索 ${lead_id} 已被移出专项行动` },
            { kind: 'absent', table: 'campaign_leads', where: { campaign_id: c.id, lead_id }, reason: `线索 ${lead_id} 已标记` },
          ]),
        ],
        writes: fresh.map((lead_id) => ({ kind: 'insert', table: 'campaign_leads', row: { campaign_id: c.id, lead_id, via: 'rule', tagged_at: at } })),
        events: fresh.map((leadId) => ({ leadId, actor: 'system:sweep', action: 'campaign.tagged', at, data: { campaign: c.id, via: 'rule' } })),
        counters: [],
      };
      return { plan, answer: () => fresh.length };
    });
  }
  return tagged;
}
