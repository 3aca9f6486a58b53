// An in-memory DedupeIndex for unit tests and the evaluation driver. It keeps exactly the data a
// SQL store keeps (postings, document frequencies, fingerprints), so it behaves the same way.
import {
  MAX_REPORTS_PER_LEAD, type CandidateHit, type DedupeIndex, type IndexWrite, type LeadFingerprint,
  type ReportFingerprint,
} from './port.ts';

interface PostingRow {
  leadId: string;
  postedAt: string;
}

export interface MemoryIndex extends DedupeIndex {
  /** What the store does in the intake commit: the report's rows, under its (new or old) lead. */
  add(leadId: string, write: IndexWrite): void;
  /** Rows held, for measurements: posting rows, features posted, features counted, leads. */
  size(): { postings: number; features: number; vocabulary: number; singletons: number; leads: number };
}

function firstAtOrAfter(rows: PostingRow[], since: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid]?.postedAt ?? '') < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createMemoryIndex(): MemoryIndex {
  const postings = new Map<string, PostingRow[]>();
  const docFreq = new Map<string, number>();
  const fingerprints = new Map<string, ReportFingerprint[]>();
  let docs = 0;
  let rows = 0;

  return {
    async totalDocs() {
      return docs;
    },
    async docFreq(features) {
      const out = new Map<string, number>();
      for (const f of features) {
        const n = docFreq.get(f);
        if (n) out.set(f, n);
      }
      return out;
    },
    async candidates(features, since, limit) {
      const byLead = new Map<string, { hits: Set<string>; last: string }>();
      for (const feature of new Set(features)) {
        const list = postings.get(feature);
        if (!list) continue;
        for (let i = firstAtOrAfter(list, since); i < list.length; i++) {
          const row = list[i];
          if (!row) continue;
          const entry = byLead.get(row.leadId) ?? { hits: new Set<string>(), last: '' };
          entry.hits.add(feature);
          if (row.postedAt > entry.last) entry.last = row.postedAt;
          byLead.set(row.leadId, entry);
        }
      }
      const out: (CandidateHit & { last: string })[] = [...byLead].map(([leadId, e]) => ({
        leadId, hits: [...e.hits], last: e.last,
      }));
      out.sort((a, b) => b.hits.length - a.hits.length || (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
      return out.slice(0, limit).map(({ leadId, hits }) => ({ leadId, hits }));
    },
    async fingerprints(leadIds) {
      const out: LeadFingerprint[] = [];
      for (const leadId of leadIds) {
        const reports = fingerprints.get(leadId);
        if (reports) out.push({ leadId, reports: reports.slice(0, MAX_REPORTS_PER_LEAD) });
      }
      return out;
    },
    add(leadId, write) {
      const at = write.fingerprint.reportedAt;
      for (const { feature } of write.postings) {
        const list = postings.get(feature) ?? [];
        const row = { leadId, postedAt: at };
        // Kept in time order so that a window is a binary search away.
        if (!list.length || (list[list.length - 1]?.postedAt ?? '') <= at) list.push(row);
        else list.splice(firstAtOrAfter(list, at), 0, row);
        postings.set(feature, list);
        rows++;
      }
      for (const f of new Set(write.docFeatures)) docFreq.set(f, (docFreq.get(f) ?? 0) + 1);
      docs++;
      const reports = fingerprints.get(leadId) ?? [];
      reports.push(write.fingerprint);
      reports.sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0));
      fingerprints.set(leadId, reports.slice(0, MAX_REPORTS_PER_LEAD));
    },
    size() {
      let singletons = 0;
      for (const n of docFreq.values()) if (n === 1) singletons++;
      return { postings: rows, features: postings.size, vocabulary: docFreq.size, singletons, leads: fingerprints.size };
    },
  };
}
