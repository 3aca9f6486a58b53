/** A campaign (专项整治): its rule (field, agencies, words), period and public call (征集公告). */
export interface CampaignsTable {
  id: string;
  name: string;
  domain: string | null;
  /** JSON array of agency codes. */
  agencies: string;
  /** JSON array of words. */
  keywords: string;
  /** Local dates, both included. */
  starts_on: string;
  ends_on: string;
  call_text: string;
  status: string;
  created_at: string;
  closed_at: string | null;
}
export interface CampaignLeadsTable { campaign_id: string; lead_id: string; via: string; tagged_at: string }
/** A lead taken out of a campaign by hand: the rule does not tag it again. */
export interface CampaignExclusionsTable { campaign_id: string; lead_id: string; excluded_at: string }
