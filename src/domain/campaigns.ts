// Campaigns (专项整治 / 专项监督): the bureau opens one for a field, some agencies and a period, with
// a public call for leads (征集公告); leads are tagged to it by its rule or by hand.
import { z } from 'zod';
import { isIsoDate } from './calendar/index.ts';

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
