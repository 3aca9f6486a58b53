// Use case: what anyone may read on /public and in its Atom feed — published results only.
import type { Kysely } from 'kysely';
import { startOfLocalDay } from '../domain/calendar/index.ts';
import { localDate } from '../domain/calendar/index.ts';
import { maskPersonalData } from '../domain/publication/mask.ts';
import type { Publication } from '../domain/publication/publish.ts';
import type { DB } from '../db/schema/index.ts';
import { listPublished, publishedFacets } from '../db/stores/publications.ts';
import { listCampaigns } from '../db/stores/campaigns.ts';
import type { Campaign } from '../domain/campaigns.ts';

export interface PublicDeps {
  reader: Kysely<DB>;
  config: { tz: string };
}

export interface PublicQuery {
  year?: number;
  agency?: string;
  domain?: string;
  page?: number;
}

export const PAGE_SIZE = 50;

export async function publicResults(deps: PublicDeps, q: PublicQuery, now: Date): Promise<{ items: Publication[]; years: number[]; agencies: string[]; domains: string[]; hasMore: boolean; calls: Campaign[] }> {
  const tz = deps.config.tz;
  const page = Math.max(1, q.page ?? 1);
  const closed = q.year ? {
    from: new Date(startOfLocalDay(`${q.year}-01-01`, tz)).toISOString(), to: new Date(startOfLocalDay(`${q.year + 1}-01-01`, tz)).toISOString(),
  } : undefined;
  const [rows, facets, open] = await Promise.all([
    listPublished(deps.reader, { closed, agency: q.agency, domain: q.domain, limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }),
    publishedFacets(deps.reader),
    listCampaigns(deps.reader, 'open'),
  ]);
  // The calls for leads (征集公告) of the open campaigns whose period has not ended.
  const today = localDate(now, tz);
  const calls = open.filter((c) => c.startsOn <= today && today <= c.endsOn);
  // Masked when published; masked again here, so that nothing stored earlier under other rules leaks.
  const items = rows.slice(0, PAGE_SIZE).map((p) => ({ ...p, summary: maskPersonalData(p.summary) }));
  const years = [...new Set(facets.closedAt.map((c) => Number(localDate(c, tz).slice(0, 4))))].sort((a, b) => b - a);
  return { items, years, agencies: facets.agencies, domains: facets.domains, hasMore: rows.length > PAGE_SIZE, calls };
}
