import { describe, expect, it } from 'vitest';
import { campaignInput, matchesCampaign } from './campaigns.ts';

const c = { domain: '交通运输', agencies: ['transport', 'traffic-police'], keywords: ['扣车', '罚款'], startsOn: '2026-03-01', endsOn: '2026-06-30' };
const lead = { domain: '交通运输', agencies: ['transport'], text: '运政人员随意扣车', createdOn: '2026-04-01' };

describe('matchesCampaign', () => {
  it('needs every given part of the rule', () => {
    expect(matchesCampaign(c, lead)).toBe(true);
    expect(matchesCampaign(c, { ...lead, domain: '城市管理' })).toBe(false);
    expect(matchesCampaign(c, { ...lead, agencies: ['urban'] })).toBe(false);
    expect(matchesCampaign(c, { ...lead, text: '运政人员态度差' })).toBe(false);
    expect(matchesCampaign(c, { ...lead, createdOn: '2026-07-01' })).toBe(false);
    expect(matchesCampaign({ ...c, agencies: [], keywords: [] }, { ...lead, agencies: [] })).toBe(true);
  });
  it('matches nothing without a rule', () => {
    expect(matchesCampaign({ ...c, domain: null, agencies: [], keywords: [] }, lead)).toBe(false);
  });
  it('refuses a period that ends before it starts', () => {
    expect(campaignInput.safeParse({ name: 'x', startsOn: '2026-03-02', endsOn: '2026-03-01', callText: 'y' }).success).toBe(false);
  });
});
