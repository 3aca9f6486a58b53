// The look-up side of the index: for each posted feature, the reports posted under it inside the
// time window, in time order. Held in memory (it is small: ≤ MAX_POSTINGS features per report, and
// only the window's reports), rebuilt by the store from its fingerprint rows at start.
import type { CandidateHit } from './port.ts';

/** The newest reports of one feature that a look-up reads. */
export const PER_FEATURE = 256;

interface Entry {
  leadId: string;
  at: string;
}

function firstAtOrAfter(rows: Entry[], since: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.at < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class PostingWindow {
  private readonly lists = new Map<string, Entry[]>();
  /** Reports posted, with their time: adding one twice changes nothing. */
  private readonly reports = new Map<string, string>();
  /** Each lead's reports, newest first. */
  private readonly byLead = new Map<string, { id: string; at: string }[]>();
  private entries = 0;

  /** Posts a report under its features (idempotent by report id). */
  add(reportId: string, leadId: string, at: string, features: Iterable<string>): void {
    if (this.reports.has(reportId)) return;
    this.reports.set(reportId, at);
    let mine = this.byLead.get(leadId);
    if (!mine) this.byLead.set(leadId, (mine = []));
    let k = 0;
    while (k < mine.length && mine[k]!.at > at) k++;
    mine.splice(k, 0, { id: reportId, at });
    const entry: Entry = { leadId, at };
    for (const feature of new Set(features)) {
      let list = this.lists.get(feature);
      if (!list) this.lists.set(feature, (list = []));
      // Kept in time order so that a window is a binary search away (reports mostly arrive in order).
      if (!list.length || list[list.length - 1]!.at <= at) list.push(entry);
      else list.splice(firstAtOrAfter(list, at), 0, entry);
      this.entries++;
    }
  }

  has(reportId: string): boolean {
    return this.reports.has(reportId);
  }

  /** A lead's reports posted at or after `since`, newest first, at most `max`. */
  reportsOf(leadId: string, since: string, max: number): string[] {
    const out: string[] = [];
    for (const r of this.byLead.get(leadId) ?? []) {
      if (r.at < since || out.length >= max) break;
      out.push(r.id);
    }
    return out;
  }

  /**
   * Leads posted under any of these features at or after `since`: the most hits first, then the
   * most recently posted, at most `limit`. Of a feature posted by more than PER_FEATURE reports in
   * the window, only the newest PER_FEATURE count: so common a feature tells little, and walking
   * it would make a look-up grow with the store.
   */
  candidates(features: Iterable<string>, since: string, limit: number): CandidateHit[] {
    const byLead = new Map<string, { hits: string[]; last: string }>();
    for (const feature of new Set(features)) {
      const list = this.lists.get(feature);
      if (!list) continue;
      for (let i = Math.max(firstAtOrAfter(list, since), list.length - PER_FEATURE); i < list.length; i++) {
        const { leadId, at } = list[i]!;
        let e = byLead.get(leadId);
        if (!e) byLead.set(leadId, (e = { hits: [], last: at }));
        if (e.hits[e.hits.length - 1] !== feature) e.hits.push(feature);
        if (at > e.last) e.last = at;
      }
    }
    // The most hits first: by bucket of hit count (most leads have one hit, and are seldom needed),
    // each bucket sorted only when it is reached.
    const buckets: [string, { hits: string[]; last: string }][][] = [];
    for (const entry of byLead) (buckets[entry[1].hits.length] ??= []).push(entry);
    const out: CandidateHit[] = [];
    for (let h = buckets.length - 1; h >= 1 && out.length < limit; h--) {
      const bucket = buckets[h];
      if (!bucket) continue;
      bucket.sort(([a, x], [b, y]) => (x.last < y.last ? 1 : x.last > y.last ? -1 : a < b ? -1 : 1));
      for (const [leadId, e] of bucket) {
        if (out.length >= limit) break;
        out.push({ leadId, hits: e.hits });
      }
    }
    return out;
  }

  /** Forgets everything posted before `before` (outside every window still asked for). */
  prune(before: string): number {
    let dropped = 0;
    for (const [feature, list] of this.lists) {
      const keep = firstAtOrAfter(list, before);
      if (keep === 0) continue;
      dropped += keep;
      if (keep === list.length) this.lists.delete(feature);
      else list.splice(0, keep);
    }
    for (const [id, at] of this.reports) if (at < before) this.reports.delete(id);
    for (const [lead, list] of this.byLead) {
      const keep = list.filter((r) => r.at >= before);
      if (keep.length === 0) this.byLead.delete(lead);
      else if (keep.length < list.length) this.byLead.set(lead, keep);
    }
    this.entries -= dropped;
    return dropped;
  }

  size(): { reports: number; features: number; entries: number } {
    return { reports: this.reports.size, features: this.lists.size, entries: this.entries };
  }
}
