// The de-duplication index in SQL (src/domain/dedupe/port.ts): postings of a report's rare
// features to its lead, document frequencies, fingerprints. Look-ups touch only the postings of
// the few features asked for, inside the time window, so their cost does not grow with the store.
import type { Kysely } from 'kysely';
import type {
  CandidateHit, DedupeIndex, IndexWrite, LeadFingerprint, ReportFingerprint,
} from '../../domain/dedupe/index.ts';
import { MAX_REPORTS_PER_LEAD } from '../../domain/dedupe/index.ts';
import type { DB } from '../schema/index.ts';
import { nextCounter, type Tx } from '../write.ts';

const CHUNK = 400;
const DOCS = 'dedupe-docs';

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function sqlDedupeIndex(db: Kysely<DB>): DedupeIndex {
  return {
    async totalDocs() {
      const row = await db.selectFrom('counters').select('last').where('name', '=', DOCS).executeTakeFirst();
      return Number(row?.last ?? 0);
    },
    async docFreq(features) {
      const out = new Map<string, number>();
      for (const part of chunks([...new Set(features)])) {
        const rows = await db.selectFrom('dedupe_df').select(['feature', 'n']).where('feature', 'in', part).execute();
        for (const r of rows) out.set(r.feature, Number(r.n));
      }
      return out;
    },
    async candidates(features, since, limit) {
      const hits = new Map<string, string[]>();
      for (const part of chunks([...new Set(features)])) {
        const rows = await db.selectFrom('dedupe_posting').select(['lead_id', 'feature'])
          .where('feature', 'in', part).where('posted_at', '>=', since).execute();
        for (const r of rows) {
          const list = hits.get(r.lead_id) ?? [];
          if (!list.includes(r.feature)) list.push(r.feature);
          hits.set(r.lead_id, list);
        }
      }
      return [...hits].map(([leadId, h]): CandidateHit => ({ leadId, hits: h }))
        .sort((a, b) => b.hits.length - a.hits.length || (a.leadId < b.leadId ? -1 : 1))
        .slice(0, limit);
    },
    async fingerprints(leadIds) {
      const byLead = new Map<string, ReportFingerprint[]>();
      for (const part of chunks([...new Set(leadIds)])) {
        const rows = await db.selectFrom('dedupe_fingerprint').select(['lead_id', 'data'])
          .where('lead_id', 'in', part).orderBy('reported_at', 'desc').execute();
        for (const r of rows) {
          const list = byLead.get(r.lead_id) ?? [];
          if (list.length < MAX_REPORTS_PER_LEAD) list.push(JSON.parse(r.data) as ReportFingerprint);
          byLead.set(r.lead_id, list);
        }
      }
      return [...byLead].map(([leadId, reports]): LeadFingerprint => ({ leadId, reports }));
    },
  };
}

/** Writes a report's postings, fingerprint and document frequencies, in the intake commit. */
export async function writeIndex(tx: Tx, leadId: string, reportId: string, w: IndexWrite): Promise<void> {
  const postedAt = w.fingerprint.reportedAt;
  if (w.postings.length) {
    await tx.insertInto('dedupe_posting')
      .values(w.postings.map((p) => ({ feature: p.feature, posted_at: postedAt, lead_id: leadId, weight: p.weight })))
      .execute();
  }
  await tx.insertInto('dedupe_fingerprint')
    .values({ report_id: reportId, lead_id: leadId, reported_at: postedAt, data: JSON.stringify(w.fingerprint) })
    .onConflict((oc) => oc.column('report_id').doNothing()).execute();
  for (const part of chunks([...new Set(w.docFeatures)])) {
    await tx.insertInto('dedupe_df').values(part.map((feature) => ({ feature, n: 1 })))
      .onConflict((oc) => oc.column('feature').doUpdateSet((eb) => ({ n: eb('dedupe_df.n', '+', 1) })))
      .execute();
  }
  await nextCounter(tx, DOCS);
}
