// An in-memory DedupeIndex for unit tests and the evaluation driver. It keeps exactly the data a
// SQL store keeps (postings, document frequencies, fingerprints), so it behaves the same way.
import {
  MAX_REPORTS_PER_LEAD, type DedupeIndex, type IndexWrite, type LeadFingerprint,
  type ScoringFingerprint,
} from './port.ts';
import { packFingerprint } from './features.ts';
import { PostingWindow } from './postingWindow.ts';
import { CountMinSketch } from './sketch.ts';

export interface MemoryIndex extends DedupeIndex {
  /** What the store does in the intake commit: the report's rows, under its (new or old) lead. */
  add(leadId: string, write: IndexWrite): void;
  /** Rows held, for measurements: posting rows, features posted, features counted, leads. */
  size(): { postings: number; features: number; vocabulary: number; singletons: number; leads: number };
}

/** `sketchBits`: count document frequencies in a CountMinSketch as the SQL store does, not exactly. */
export function createMemoryIndex(opts: { sketchBits?: number } = {}): MemoryIndex {
  const postings = new PostingWindow();
  /** Exact counts by feature hash (as exact as the store's 32-bit hashes allow). */
  const docFreq = new Map<number, number>();
  const sketch = opts.sketchBits ? new CountMinSketch(opts.sketchBits) : undefined;
  const fingerprints = new Map<string, ScoringFingerprint[]>();
  let docs = 0;
  let rows = 0;

  return {
    async totalDocs() {
      return docs;
    },
    async docFreq(hashes) {
      if (sketch) return sketch.countHashes(hashes);
      return Uint32Array.from(hashes, (h) => docFreq.get(h) ?? 0);
    },
    async candidates(features, since, limit) {
      return postings.candidates(features, since, limit);
    },
    async fingerprints(leadIds, since) {
      const out: LeadFingerprint[] = [];
      for (const leadId of leadIds) {
        const reports = fingerprints.get(leadId)?.filter((r) => r.reportedAt >= since);
        if (reports?.length) out.push({ leadId, reports: reports.slice(0, MAX_REPORTS_PER_LEAD) });
      }
      return out;
    },
    add(leadId, write) {
      const at = write.fingerprint.reportedAt;
      postings.add(`r${docs}`, leadId, at, write.postings.map((p) => p.feature));
      rows += write.postings.length;
      if (sketch) sketch.addHashes(write.docHashes);
      else for (const h of write.docHashes) docFreq.set(h, (docFreq.get(h) ?? 0) + 1);
      docs++;
      const reports = fingerprints.get(leadId) ?? [];
      reports.push(packFingerprint(write.fingerprint));
      reports.sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0));
      fingerprints.set(leadId, reports.slice(0, MAX_REPORTS_PER_LEAD));
    },
    size() {
      let singletons = 0;
      for (const n of docFreq.values()) if (n === 1) singletons++;
      return { postings: rows, features: postings.size().features, vocabulary: docFreq.size, singletons, leads: fingerprints.size };
    },
  };
}
