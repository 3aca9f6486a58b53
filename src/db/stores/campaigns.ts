// Campaigns (专项整治) and the leads tagged to them.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Campaign } from '../../domain/campaigns.ts';
import type { DB } from '../schema/index.ts';
import type { CampaignsTable } from '../schema/campaigns.ts';

function fromRow(r: Selectable<CampaignsTable>): Campaign {
  return {
    id: r.id, name: r.name, domain: r.domain, agencies: JSON.parse(r.agencies), keywords: JSON.parse(r.keywords),
    startsOn: r.starts_on, endsOn: r.ends_on, callText: r.call_text, status: r.status as Campaign['status'],
    createdAt: r.created_at, closedAt: r.closed_at,
  };
}

export async function findCampaign(db: Kysely<DB>, id: string): Promise<Campaign | undefined> {
  const r = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export async function listCampaigns(db: Kysely<DB>, status?: Campaign['status']): Promise<Campaign[]> {
  let q = db.selectFrom('campaigns').selectAll();
  if (status) q = q.where('status', '=', status);
  return (await q.orderBy('created_at', 'desc').execute()).map(fromRow);
}

/** Tags leads (a lead already tagged keeps how it was); returns the ones that were new. */
export async function tagLeads(db: Kysely<DB>, campaign: string, leadIds: string[], via: 'rule' | 'hand', at: string): Promise<string[]> {
  const added: string[] = [];
  for (let i = 0; i < leadIds.length; i += 200) {
    const rows = leadIds.slice(i, i + 200).map((lead_id) => ({ campaign_id: campaign, lead_id, via, tagged_at: at }));
    const r = await db.insertInto('campaign_leads').values(rows).onConflict((oc) => oc.columns(['campaign_id', 'lead_id']).doNothing())
      .returning('lead_id').execute();
    added.push(...r.map((x) => x.lead_id));
  }
  return added;
}

/** The leads tagged to a campaign. */
export async function taggedLeads(db: Kysely<DB>, campaign: string): Promise<Set<string>> {
  const rows = await db.selectFrom('campaign_leads').select('lead_id').where('campaign_id', '=', campaign).execute();
  return new Set(rows.map((r) => r.lead_id));
}

/** Whether a lead is tagged to a campaign, and whether the lead exists at all. */
export async function tagOf(db: Kysely<DB>, campaign: string, leadId: string): Promise<{ lead: boolean; tagged: boolean }> {
  const lead = await db.selectFrom('leads').select('id').where('id', '=', leadId).executeTakeFirst();
  const tag = await db.selectFrom('campaign_leads').select('lead_id').where('campaign_id', '=', campaign).where('lead_id', '=', leadId).executeTakeFirst();
  return { lead: Boolean(lead), tagged: Boolean(tag) };
}

export async function excludedLeads(db: Kysely<DB>, campaign: string): Promise<Set<string>> {
  const rows = await db.selectFrom('campaign_exclusions').select('lead_id').where('campaign_id', '=', campaign).execute();
  return new Set(rows.map((r) => r.lead_id));
}

export async function taggedCount(db: Kysely<DB>, campaign: string): Promise<number> {
  const r = await db.selectFrom('campaign_leads').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', campaign).executeTakeFirst();
  return Number(r?.n ?? 0);
}

function likeText(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * The leads registered in [from, to) as the rule reads them (not merged): field, agencies, text.
 * With `narrow`, only those not yet tagged nor excluded, prefiltered in SQL by the rule's field,
 * agencies and words (a superset: matchesCampaign decides).
 */
export async function campaignCandidates(db: Kysely<DB>, from: string, to: string, narrow?: Pick<Campaign, 'id' | 'domain' | 'agencies' | 'keywords'>) {
  let q = db.selectFrom('leads').select(['id', 'domain', 'routing_agency', 'title', 'content', 'created_at'])
    .where('created_at', '>=', from).where('created_at', '<', to).where('status', '!=', 'merged');
  if (narrow) {
    const c = narrow;
    q = q.where((eb) => eb.not(eb.exists(eb.selectFrom('campaign_leads').select(sql`1`.as('one'))
      .whereRef('campaign_leads.lead_id', '=', 'leads.id').where('campaign_leads.campaign_id', '=', c.id))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('campaign_exclusions').select(sql`1`.as('one'))
        .whereRef('campaign_exclusions.lead_id', '=', 'leads.id').where('campaign_exclusions.campaign_id', '=', c.id))));
    if (c.domain) q = q.where('domain', '=', c.domain);
    if (c.agencies.length) {
      q = q.where((eb) => eb.or([
        eb('leads.routing_agency', 'in', c.agencies),
        eb.exists(eb.selectFrom('assignments').select(sql`1`.as('one')).whereRef('assignments.lead_id', '=', 'leads.id').where('assignments.agency', 'in', c.agencies)),
      ]));
    }
    if (c.keywords.length) {
      q = q.where((eb) => eb.or(c.keywords.flatMap((k) => {
        const like = sql<string>`${`%${likeText(k)}%`} escape '\\'`;
        return [eb('leads.title', 'like', like), eb('leads.content', 'like', like)];
      })));
    }
  }
  const leads = await q.execute();
  if (leads.length === 0) return [];
  const assigned: { lead_id: string; agency: string }[] = [];
  if (narrow) {
    for (let i = 0; i < leads.length; i += 500) {
      assigned.push(...await db.selectFrom('assignments').select(['assignments.lead_id', 'assignments.agency'])
        .where('assignments.lead_id', 'in', leads.slice(i, i + 500).map((l) => l.id)).execute());
    }
  } else {
    assigned.push(...await db.selectFrom('leads').innerJoin('assignments', 'assignments.lead_id', 'leads.id')
      .select(['assignments.lead_id', 'assignments.agency']).where('leads.created_at', '>=', from).where('leads.created_at', '<', to).execute());
  }
  const agencies = new Map<string, string[]>();
  for (const a of assigned) agencies.set(a.lead_id, [...(agencies.get(a.lead_id) ?? []), a.agency]);
  return leads.map((l) => ({
    id: l.id, domain: l.domain, createdAt: l.created_at, text: `${l.title}\n${l.content}`,
    agencies: [...new Set([...(l.routing_agency ? [l.routing_agency] : []), ...(agencies.get(l.id) ?? [])])],
  }));
}

/** The leads tagged to a campaign, newest first (at most `limit`). */
export async function campaignLeadList(db: Kysely<DB>, campaign: string, limit: number) {
  return db.selectFrom('campaign_leads').innerJoin('leads', 'leads.id', 'campaign_leads.lead_id')
    .select(['leads.id', 'leads.title', 'leads.status', 'leads.created_at', 'campaign_leads.via'])
    .where('campaign_leads.campaign_id', '=', campaign)
    .orderBy('leads.created_at', 'desc').orderBy('leads.id', 'desc').limit(limit).execute();
}
