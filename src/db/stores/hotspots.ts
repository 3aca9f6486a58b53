// What the hotspot rule reads: per agency, enforcement field and township, the leads registered
// in the window and in the baseline days before it. Every read is a range over leads.created_at
// (the covering index of migration 009, and assignments by lead), so its cost follows the leads
// of those few months, not all that are stored. Merged leads are not counted: their problem is
// counted in the lead they were merged into.
import { sql, type Kysely } from 'kysely';
import type { HotspotCount, HotspotDimension } from '../../domain/hotspots.ts';
import type { DB } from '../schema/index.ts';
import { concernsAgency } from './leads.ts';

/** UTC instants: the baseline starts at `baselineFrom`, the window at `windowFrom`, both end before `to`. */
export interface HotspotRange { baselineFrom: string; windowFrom: string; to: string }

const recent = (from: string) => sql<number>`sum(case when created_at >= ${from} then 1 else 0 end)`;
const before = (from: string) => sql<number>`sum(case when created_at < ${from} then 1 else 0 end)`;

export async function hotspotCounts(db: Kysely<DB>, r: HotspotRange): Promise<HotspotCount[]> {
  const inRange = (q: Kysely<DB>) => q.selectFrom('leads')
    .where('leads.created_at', '>=', r.baselineFrom).where('leads.created_at', '<', r.to).where('leads.status', '!=', 'merged');
  const out: HotspotCount[] = [];
  const push = (dimension: HotspotDimension, rows: { key: string | null; recent: number | string | null; baseline: number | string | null }[]) => {
    for (const row of rows) {
      if (row.key) out.push({ dimension, key: row.key, recent: Number(row.recent ?? 0), baseline: Number(row.baseline ?? 0) });
    }
  };
  for (const column of ['domain', 'township'] as const) {
    const rows = await inRange(db).select([`leads.${column} as key`, recent(r.windowFrom).as('recent'), before(r.windowFrom).as('baseline')])
      .where(`leads.${column}`, 'is not', null).groupBy(`leads.${column}`).execute();
    push(column, rows);
  }
  // A lead concerns the agency it was routed to and every agency it was assigned to (as the
  // queue's agency filter reads it), each once.
  const pairs = inRange(db).select(['leads.id', 'leads.created_at', sql<string>`leads.routing_agency`.as('agency')])
    .where('leads.routing_agency', 'is not', null)
    .union(inRange(db).innerJoin('assignments', 'assignments.lead_id', 'leads.id')
      .select(['leads.id', 'leads.created_at', sql<string>`assignments.agency`.as('agency')]));
  const agencies = await db.selectFrom(pairs.as('p'))
    .select(['p.agency as key', recent(r.windowFrom).as('recent'), before(r.windowFrom).as('baseline')])
    .groupBy('p.agency').execute();
  push('agency', agencies);
  return out;
}

/** When the first lead that counts was registered (how much history a baseline can have). */
export async function firstLeadAt(db: Kysely<DB>): Promise<string | undefined> {
  const r = await db.selectFrom('leads').select('created_at').orderBy('created_at').limit(1).executeTakeFirst();
  return r?.created_at;
}

/** The window's leads of one hotspot, newest first (at most `limit`). */
export async function hotspotLeads(db: Kysely<DB>, dimension: HotspotDimension, key: string, from: string, to: string, limit: number) {
  let q = db.selectFrom('leads').select(['leads.id', 'leads.title', 'leads.status', 'leads.created_at'])
    .where('leads.created_at', '>=', from).where('leads.created_at', '<', to).where('leads.status', '!=', 'merged');
  q = dimension === 'agency' ? q.where((eb) => concernsAgency(eb, key)) : q.where(`leads.${dimension}`, '=', key);
  return q.orderBy('leads.created_at', 'desc').orderBy('leads.id', 'desc').limit(limit).execute();
}
