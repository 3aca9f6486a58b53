// Campaigns (专项整治 / 专项监督): the bureau opens one for a field, some agencies and a period, with
// a public call for leads (征集公告); leads are tagged to it by its rule or by hand.
import { z } from 'zod';
import { isIsoDate } from './calendar/index.ts';
import type { Guard, Plan, Write } from './plan.ts';

export interface Campaign {
  id: string;
  name: string;
  domain: string | null;
  agencies: string[];
  keywords: string[];
  /** Local dates, both included. */
  startsOn: string;
  endsOn: string;
  callText: string;
  status: 'open' | 'closed';
  createdAt: string;
  closedAt: string | null;
}

const date = z.string().refine(isIsoDate, '应为有效日期 YYYY-MM-DD');
export const campaignInput = z.strictObject({
  name: z.string().trim().min(1, '不能为空').max(100),
  domain: z.string().trim().min(1).max(50).optional(),
  agencies: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  keywords: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  startsOn: date,
  endsOn: date,
  callText: z.string().trim().min(1, '不能为空').max(5000),
}).refine((v) => v.startsOn <= v.endsOn, { message: '结束日期不能早于开始日期', path: ['endsOn'] });
export type CampaignInput = z.infer<typeof campaignInput>;

/** What the rule reads of a lead. */
export interface CampaignCandidate {
  domain: string | null;
  /** The agencies it was routed or assigned to. */
  agencies: string[];
  text: string;
  /** Local date it was registered. */
  createdOn: string;
}

/** A campaign's rule needs at least one of field, agencies, words; all that are given must hold. */
export function hasRule(c: Pick<Campaign, 'domain' | 'agencies' | 'keywords'>): boolean {
  return Boolean(c.domain) || c.agencies.length > 0 || c.keywords.length > 0;
}

export function matchesCampaign(c: Pick<Campaign, 'domain' | 'agencies' | 'keywords' | 'startsOn' | 'endsOn'>, lead: CampaignCandidate): boolean {
  if (!hasRule(c)) return false;
  if (lead.createdOn < c.startsOn || lead.createdOn > c.endsOn) return false;
  if (c.domain && lead.domain !== c.domain) return false;
  if (c.agencies.length && !lead.agencies.some((a) => c.agencies.includes(a))) return false;
  if (c.keywords.length && !c.keywords.some((k) => lead.text.includes(k))) return false;
  return true;
}

// ---------------------------------------------------------------- writes, as plans

const stillOpen = (id: string): Guard => ({
  kind: 'exists', table: 'campaigns', where: { id, status: 'open' }, reason: `专项整治 ${id} 已结束`,
});

/** A new campaign: its row and its event; the id is a unique key. */
export function openCampaignPlan(c: Campaign, actor: string, at: string): Plan {
  return {
    guards: [], counters: [],
    writes: [{ kind: 'insert', table: 'campaigns', row: {
      id: c.id, name: c.name, domain: c.domain, agencies: JSON.stringify(c.agencies), keywords: JSON.stringify(c.keywords),
      starts_on: c.startsOn, ends_on: c.endsOn, call_text: c.callText, status: c.status, created_at: c.createdAt, closed_at: c.closedAt,
    } }],
    events: [{ leadId: null, actor, action: 'campaign.opened', at, data: { campaign: c.id, name: c.name } }],
  };
}

/** Closing: the campaign still open as read. */
export function closeCampaignPlan(id: string, actor: string, at: string): Plan {
  return {
    guards: [stillOpen(id)], counters: [],
    writes: [{ kind: 'update', table: 'campaigns', set: { status: 'closed', closed_at: at }, where: { id } }],
    events: [{ leadId: null, actor, action: 'campaign.closed', at, data: { campaign: id } }],
  };
}

/**
 * Tags leads the rule matched that are neither tagged nor excluded as read: a tag is a unique
 * key (a lead tagged meanwhile fails the plan), and the exclusions read still absent.
 */
export function tagByRulePlan(campaign: string, leadIds: readonly string[], actor: string, at: string): Plan {
  return {
    guards: [stillOpen(campaign), ...leadIds.map((lead_id): Guard => ({
      kind: 'absent', table: 'campaign_exclusions', where: { campaign_id: campaign, lead_id }, reason: `线索 ${lead_id} 已被移出专项整治 ${campaign}`,
    }))],
    writes: leadIds.map((lead_id): Write => ({ kind: 'insert', table: 'campaign_leads', row: { campaign_id: campaign, lead_id, via: 'rule', tagged_at: at } })),
    events: leadIds.map((leadId) => ({ leadId, actor, action: 'campaign.tagged', at, data: { campaign, via: 'rule' } })),
    counters: [],
  };
}

/**
 * Tags (or untags) one lead by hand, from whether it was tagged as read. Tagging takes it out of
 * the exclusions; untagging keeps the rule from tagging it again. `changed`: whether the tag moves
 * (only then is there an event); the guards say the tag is still as read.
 */
export function tagByHandPlan(
  campaign: string, leadId: string, tag: boolean, wasTagged: boolean, actor: string, at: string,
): { plan: Plan; changed: boolean } {
  const key = { campaign_id: campaign, lead_id: leadId };
  const changed = tag !== wasTagged;
  const guards: Guard[] = [
    stillOpen(campaign),
    { kind: 'exists', table: 'leads', where: { id: leadId }, reason: `线索 ${leadId} 不存在` },
    { kind: wasTagged ? 'exists' : 'absent', table: 'campaign_leads', where: key, reason: `线索 ${leadId} 在专项整治 ${campaign} 中的归集已被他人修改` },
  ];
  const writes: Write[] = tag
    ? [
      { kind: 'delete', table: 'campaign_exclusions', where: key },
      ...(changed ? [{ kind: 'insert', table: 'campaign_leads', row: { ...key, via: 'hand', tagged_at: at } } as Write] : []),
    ]
    : [
      ...(changed ? [{ kind: 'delete', table: 'campaign_leads', where: key } as Write] : []),
      { kind: 'insert', table: 'campaign_exclusions', row: { ...key, excluded_at: at }, onConflict: { columns: ['campaign_id', 'lead_id'] } },
    ];
  return {
    changed,
    plan: {
      guards, writes, counters: [],
      events: changed ? [{ leadId, actor, action: tag ? 'campaign.tagged' : 'campaign.untagged', at, data: { campaign, via: 'hand' } }] : [],
    },
  };
}
