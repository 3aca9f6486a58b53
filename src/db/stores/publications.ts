// Published results (公示): what a lead offers to publish, the publication rows, the public list.
import type { Kysely, Selectable } from 'kysely';
import type { KnownPersonalData } from '../../domain/publication/mask.ts';
import type { Publication, PublishableLead } from '../../domain/publication/publish.ts';
import type { DB } from '../schema/index.ts';
import type { PublicationsTable } from '../schema/publications.ts';

type Reader = Kysely<DB>;

/** The lead as publication sees it (with its version), and the personal data that must not be published. */
export async function loadPublishable(db: Reader, id: string): Promise<{ lead: PublishableLead; personal: KnownPersonalData; version: number } | undefined> {
  const lead = await db.selectFrom('leads').select(['id', 'status', 'created_at', 'domain', 'problem_types', 'address', 'version'])
    .where('id', '=', id).executeTakeFirst();
  if (!lead) return undefined;
  const [primary] = await db.selectFrom('assignments').select(['agency', 'closed_at', 'detail'])
    .where('lead_id', '=', id).where('role', '=', 'primary').where('status', '=', 'closed')
    .orderBy('closed_at', 'desc').limit(1).execute();
  // Every report of the lead and of the leads merged into it.
  const family = [id];
  for (let frontier = [id], depth = 0; frontier.length && depth < 20; depth++) {
    frontier = (await db.selectFrom('leads').select('id').where('merged_into', 'in', frontier).execute()).map((r) => r.id).filter((x) => !family.includes(x));
    family.push(...frontier);
  }
  const reports = await db.selectFrom('reports').select(['reporter_name', 'reporter_phone', 'address', 'payload'])
    .where('lead_id', 'in', family).execute();
  const detail = JSON.parse(primary?.detail ?? '{}') as { feedback?: { summary: string; measures: string } };
  const names: (string | null)[] = [];
  for (const r of reports) {
    names.push(r.reporter_name);
    // A supervisor's name comes only in the payload.
    try {
      const p = JSON.parse(r.payload) as { supervisor?: { name?: unknown }; caller?: { name?: unknown } };
      for (const n of [p.supervisor?.name, p.caller?.name]) if (typeof n === 'string') names.push(n);
    } catch { /* a payload is always JSON; nothing to add otherwise */ }
  }
  return {
    lead: {
      id: lead.id, status: lead.status, createdAt: lead.created_at, domain: lead.domain, problemTypes: JSON.parse(lead.problem_types),
      agency: primary?.agency ?? null, closedAt: primary?.closed_at ?? null,
      feedback: detail.feedback ? { summary: detail.feedback.summary, measures: detail.feedback.measures } : null,
    },
    personal: { names, addresses: [lead.address, ...reports.map((r) => r.address)] },
    version: Number(lead.version),
  };
}

function fromRow(r: Selectable<PublicationsTable>): Publication {
  return {
    leadId: r.lead_id, status: r.status as Publication['status'], summary: r.summary, agency: r.agency, domain: r.domain,
    problemTypes: JSON.parse(r.problem_types), receivedAt: r.received_at, closedAt: r.closed_at,
    publishedAt: r.published_at, updatedAt: r.updated_at,
  };
}

export async function findPublication(db: Reader, leadId: string): Promise<Publication | undefined> {
  const r = await db.selectFrom('publications').selectAll().where('lead_id', '=', leadId).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export interface PublicFilters {
  /** [from, to) instants of the year closed (办结). */
  closed?: { from: string; to: string };
  agency?: string;
  domain?: string;
  limit: number;
  offset: number;
}

/** Published leads, newest publication first. */
export async function listPublished(db: Reader, f: PublicFilters): Promise<Publication[]> {
  let q = db.selectFrom('publications').selectAll().where('status', '=', 'published');
  if (f.closed) q = q.where('closed_at', '>=', f.closed.from).where('closed_at', '<', f.closed.to);
  if (f.agency) q = q.where('agency', '=', f.agency);
  if (f.domain) q = q.where('domain', '=', f.domain);
  const rows = await q.orderBy('published_at', 'desc').orderBy('lead_id', 'desc').limit(f.limit).offset(f.offset).execute();
  return rows.map(fromRow);
}

/** What the filters offer: the agencies, fields and closing instants of what is published. */
export async function publishedFacets(db: Reader): Promise<{ agencies: string[]; domains: string[]; closedAt: string[] }> {
  const rows = await db.selectFrom('publications').select(['agency', 'domain', 'closed_at']).where('status', '=', 'published').execute();
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => Boolean(x)))].sort();
  return { agencies: uniq(rows.map((r) => r.agency)), domains: uniq(rows.map((r) => r.domain)), closedAt: uniq(rows.map((r) => r.closed_at)) };
}
