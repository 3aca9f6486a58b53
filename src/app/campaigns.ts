// Use cases of campaigns (专项整治): open one, tag leads by its rule or by hand, its figures, close it.
// Every change is also an event in the full-process record (on each lead tagged, and the campaign's own),
// written as one plan (src/domain/campaigns.ts) with the guards it was decided on.
import { addDays, localDate, startOfLocalDay } from '../domain/calendar/index.ts';
import {
  campaignInput, closeCampaignPlan, hasRule, matchesCampaign, openCampaignPlan, tagByHandPlan, tagByRulePlan, type Campaign,
} from '../domain/campaigns.ts';
import { planAndCommit } from '../domain/plan.ts';
import type { Stats } from '../domain/stats.ts';
import { campaignReport, type AnnualReport } from '../domain/annualReport.ts';
import {
  campaignCandidates, excludedLeads, findCampaign, listCampaigns, tagOf, taggedCount, taggedLeads,
} from '../db/stores/campaigns.ts';
import { campaignStats } from '../db/stores/stats.ts';
import type { PublicationDeps } from './publishLead.ts';
import { agencyNamer, type StatsDeps } from './stats.ts';

export type CampaignDeps = PublicationDeps & StatsDeps;

export class CampaignError extends Error {
  constructor(readonly code: 'not-found' | 'state' | 'invalid', message: string, readonly errors: { path: string; message: string }[] = []) {
    super(message);
  }
}

export async function openCampaign(deps: CampaignDeps, body: unknown, actor: string): Promise<Campaign> {
  const parsed = campaignInput.safeParse(body);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: '/' + i.path.map(String).join('/'), message: i.message }));
    throw new CampaignError('invalid', errors.map((e) => `${e.path} ${e.message}`).join('；'), errors);
  }
  const v = parsed.data;
  const unknown = (v.agencies ?? []).filter((a) => !deps.directory.agencies.some((x) => x.code === a));
  if (unknown.length) throw new CampaignError('invalid', `未知的单位代码：${unknown.join('、')}`);
  const at = deps.clock.now().toISOString();
  const campaign: Campaign = {
    id: `ZX-${localDate(at, deps.config.tz).slice(0, 4)}-${crypto.randomUUID().slice(0, 8)}`, name: v.name, domain: v.domain ?? null,
    agencies: v.agencies ?? [], keywords: v.keywords ?? [], startsOn: v.startsOn, endsOn: v.endsOn, callText: v.callText,
    status: 'open', createdAt: at, closedAt: null,
  };
  await deps.store.commit(openCampaignPlan(campaign, actor, at));
  return campaign;
}

async function mustFind(deps: CampaignDeps, id: string, db = deps.reader): Promise<Campaign> {
  const c = await findCampaign(db, id);
  if (!c) throw new CampaignError('not-found', '专项整治不存在');
  return c;
}

const range = (c: Campaign, tz: string) => ({
  from: new Date(startOfLocalDay(c.startsOn, tz)).toISOString(), to: new Date(startOfLocalDay(addDays(c.endsOn, 1), tz)).toISOString(),
});

/**
 * Tags every lead of the campaign's period that its rule matches, except those a person took out
 * by hand; returns how many match and how many were new. The sweep does the same for every open
 * campaign (tagCampaignLeads.ts), so this is for not waiting for it.
 */
export async function applyCampaignRule(deps: CampaignDeps, id: string, actor: string): Promise<{ matched: number; added: number }> {
  const c = await mustFind(deps, id);
  if (c.status !== 'open') throw new CampaignError('state', '专项整治已结束，不能再归集线索');
  if (!hasRule(c)) throw new CampaignError('state', '该专项整治没有设置领域、单位或关键词，只能手动归集');
  const tz = deps.config.tz;
  const { from, to } = range(c, tz);
  const matched = (await campaignCandidates(deps.reader, from, to))
    .filter((l) => matchesCampaign(c, { ...l, createdOn: localDate(l.createdAt, tz) })).map((l) => l.id);
  const at = deps.clock.now().toISOString();
  const added = await planAndCommit<number>(deps.store, async () => {
    const known = await taggedLeads(deps.db, id);
    const excluded = await excludedLeads(deps.db, id);
    const fresh = matched.filter((l) => !known.has(l) && !excluded.has(l));
    if (fresh.length === 0) return { done: 0 };
    return { plan: tagByRulePlan(id, fresh, actor, at), answer: () => fresh.length };
  });
  return { matched: matched.length, added };
}

export async function tagByHand(deps: CampaignDeps, id: string, leadId: string, tagged: boolean, actor: string): Promise<{ changed: boolean }> {
  const at = deps.clock.now().toISOString();
  return planAndCommit(deps.store, async () => {
    const c = await mustFind(deps, id, deps.db);
    if (c.status !== 'open') throw new CampaignError('state', '专项整治已结束，不能再调整线索');
    const now = await tagOf(deps.db, id, leadId);
    if (!now.lead) throw new CampaignError('not-found', '线索不存在');
    const { plan, changed } = tagByHandPlan(id, leadId, tagged, now.tagged, actor, at);
    return { plan, answer: () => ({ changed }) };
  });
}

export async function campaignView(deps: CampaignDeps, id: string): Promise<{ campaign: Campaign; leads: number; stats: Stats }> {
  const c = await mustFind(deps, id);
  const now = deps.clock.now().toISOString();
  const stats = await campaignStats(deps.reader, id, range(c, deps.config.tz), now, { calendar: deps.calendar.current(), tz: deps.config.tz });
  return { campaign: c, leads: await taggedCount(deps.reader, id), stats };
}

export async function closeCampaign(deps: CampaignDeps, id: string, actor: string): Promise<Campaign> {
  const at = deps.clock.now().toISOString();
  return planAndCommit(deps.store, async () => {
    const c = await mustFind(deps, id, deps.db);
    if (c.status !== 'open') throw new CampaignError('state', '专项整治已经结束');
    return { plan: closeCampaignPlan(id, actor, at), answer: (): Campaign => ({ ...c, status: 'closed', closedAt: at }) };
  });
}

export const campaigns = (deps: CampaignDeps, status?: Campaign['status']) => listCampaigns(deps.reader, status);

/** The campaign's report (工作情况报告) in the shape of the annual report, as data. */
export async function campaignReportOf(deps: CampaignDeps, id: string): Promise<AnnualReport> {
  const { campaign, stats } = await campaignView(deps, id);
  return campaignReport(campaign, stats, agencyNamer(deps.directory), localDate(deps.clock.now(), deps.config.tz));
}
