// Hotspots (热点提示) now: the rule's counts for the window and its baseline, the hotspots found,
// and for each the window's leads, a link to them in the queue and a campaign form prefilled for it.
import type { Kysely } from 'kysely';
import { addDays, localDate, startOfLocalDay, type IsoDate } from '../domain/calendar/index.ts';
import { findAgency, type Directory } from '../domain/directory.ts';
import {
  DEFAULT_HOTSPOT_RULE, DIMENSION_LABEL, findHotspots, hotspotFigures, hotspotPeriod, ruleSentence, type Hotspot, type HotspotRule,
} from '../domain/hotspots.ts';
import type { DB } from '../db/schema/index.ts';
import { firstLeadAt, hotspotCounts, hotspotLeads } from '../db/stores/hotspots.ts';
import type { Clock } from '../domain/types.ts';

export interface HotspotDeps {
  reader: Kysely<DB>;
  clock: Clock;
  config: { tz: string; hotspots?: HotspotRule };
  directory: Directory;
}

/** How many of a hotspot's leads are listed with it (the queue link has them all). */
export const LEADS_SHOWN = 10;
/** A campaign opened from a hotspot runs this many days after today, from the window's start. */
export const CAMPAIGN_DAYS = 90;

export interface HotspotLead { id: string; title: string; status: string; createdAt: string }

export interface HotspotItem extends Hotspot {
  /** '单位：区交通运输局' */
  label: string;
  /** The agency's name, the field or the township. */
  name: string;
  /** '近 7 天 21 件，按往常应为约 7.0 件，…' */
  figures: string;
  leads: HotspotLead[];
  /** The queue filtered to the window's leads of it (a path). */
  queueHref: string;
  /** The campaign form prefilled for it (a path). */
  campaignHref: string;
}

export interface HotspotReport {
  rule: HotspotRule;
  sentence: string;
  today: IsoDate;
  windowFrom: IsoDate;
  baselineFrom: IsoDate;
  /** The baseline days the stored leads cover (fewer than the rule's for a younger service). */
  coveredDays: number;
  hotspots: HotspotItem[];
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export async function currentHotspots(deps: HotspotDeps, now: Date = deps.clock.now()): Promise<HotspotReport> {
  const rule = deps.config.hotspots ?? DEFAULT_HOTSPOT_RULE;
  const tz = deps.config.tz;
  const today = localDate(now, tz);
  const { windowFrom, baselineFrom } = hotspotPeriod(today, rule);
  const iso = (d: IsoDate) => new Date(startOfLocalDay(d, tz)).toISOString();
  const range = { baselineFrom: iso(baselineFrom), windowFrom: iso(windowFrom), to: now.toISOString() };
  const first = await firstLeadAt(deps.reader);
  const firstDay = first ? localDate(first, tz) : today;
  const coveredDays = Math.max(0, Math.min(rule.baselineDays, daysBetween(firstDay, windowFrom)));
  const found = findHotspots(await hotspotCounts(deps.reader, range), rule, coveredDays);
  const hotspots: HotspotItem[] = [];
  for (const h of found) {
    const name = h.dimension === 'agency' ? findAgency(deps.directory, h.key)?.name ?? h.key : h.key;
    const leads = (await hotspotLeads(deps.reader, h.dimension, h.key, range.windowFrom, range.to, LEADS_SHOWN))
      .map((l) => ({ id: l.id, title: l.title, status: l.status, createdAt: l.created_at }));
    const queue = new URLSearchParams({ [h.dimension]: h.key, from: windowFrom, to: today });
    const campaign = new URLSearchParams({
      name: `${name}问题线索专项整治`,
      ...(h.dimension === 'agency' ? { agencies: h.key } : h.dimension === 'domain' ? { domain: h.key } : { keywords: h.key }),
      startsOn: windowFrom, endsOn: addDays(today, CAMPAIGN_DAYS),
      callText: `即日起公开征集${name}相关的行政执法问题线索，欢迎拨打 12345 热线或通过行政执法社会监督员反映。`,
    });
    hotspots.push({
      ...h, name, label: `${DIMENSION_LABEL[h.dimension]}：${name}`, figures: hotspotFigures(h, rule), leads,
      queueHref: `/leads?${queue}`, campaignHref: `/campaigns/new?${campaign}`,
    });
  }
  return { rule, sentence: ruleSentence(rule), today, windowFrom, baselineFrom, coveredDays, hotspots };
}
