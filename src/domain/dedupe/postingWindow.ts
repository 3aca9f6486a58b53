// The look-up side of the index: for each posted feature, the reports posted under it inside the
// time window, in time order. Held in memory (it is small: ≤ MAX_POSTINGS features per report, and
// only the window's reports), rebuilt by the store from its fingerprint rows at start.
import type { CandidateHit } from './port.ts';

/** The newest reports of one feature that a look-up reads. */
export const PER_FEATURE = 256;

interface Entry {
  /** The lead's number in this window (leads are numbered so that a look-up counts in arrays). */
  lead: number;
  /** When the report was posted, ms since the epoch. */
  t: number;
}

function firstAtOrAfter(rows: Entry[], since: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.t < since) lo = mid + 1;
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
  private readonly leadNo = new Map<string, number>();
  private leadIds: string[] = [];
  private entries = 0;
  // A look-up's counters, by lead number, reused from call to call (a look-up is synchronous).
  private epoch = 0;
  private seenIn = new Uint32Array(0);
  private hitCount = new Int32Array(0);
  private lastFeature = new Int32Array(0);
  private last = new Float64Array(0);

  private numberOf(leadId: string): number {
    let n = this.leadNo.get(leadId);
    if (n === undefined) {
      this.leadNo.set(leadId, (n = this.leadIds.length));
      this.leadIds.push(leadId);
    }
    return n;
  }

  /** Posts a report under its features (idempotent by report id). */
  add(reportId: string, leadId: string, at: string, features: Iterable<string>): void {
    if (this.reports.has(reportId)) return;
    this.reports.set(reportId, at);
    let mine = this.byLead.get(leadId);
    if (!mine) this.byLead.set(leadId, (mine = []));
    let k = 0;
    while (k < mine.length && mine[k]!.at > at) k++;
    mine.splice(k, 0, { id: reportId, at });
    const entry: Entry = { lead: this.numberOf(leadId), t: Date.parse(at) };
    for (const feature of new Set(features)) {
      let list = this.lists.get(feature);
      if (!list) this.lists.set(feature, (list = []));
      // Kept in time order so that a window is a binary search away (reports mostly arrive in order).
      if (!list.length || list[list.length - 1]!.t <= entry.t) list.push(entry);
      else list.splice(firstAtOrAfter(list, entry.t), 0, entry);
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
    const asked = [...new Set(features)];
    const leads = this.leadIds.length;
    if (this.seenIn.length < leads) {
      const size = Math.max(leads, 2 * this.seenIn.length, 1024);
      this.seenIn = new Uint32Array(size);
      this.hitCount = new Int32Array(size);
      this.lastFeature = new Int32Array(size);
      this.last = new Float64Array(size);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const { seenIn, hitCount, lastFeature, last } = this;
    const from = Date.parse(since);
    const touched: number[] = [];
    // (lead, feature) of each first hit, in the order found: the hits of the chosen leads, later.
    const pairs: number[] = [];
    for (let f = 0; f < asked.length; f++) {
      const list = this.lists.get(asked[f]!);
      if (!list) continue;
      for (let i = Math.max(firstAtOrAfter(list, from), list.length - PER_FEATURE); i < list.length; i++) {
        const { lead, t } = list[i]!;
        if (seenIn[lead] !== epoch) {
          seenIn[lead] = epoch;
          hitCount[lead] = 0;
          lastFeature[lead] = -1;
          last[lead] = t;
          touched.push(lead);
        }
        if (lastFeature[lead] !== f) {
          lastFeature[lead] = f;
          hitCount[lead] = hitCount[lead]! + 1;
          pairs.push(lead, f);
        }
        if (t > last[lead]!) last[lead] = t;
      }
    }
    // The most hits first: by bucket of hit count (most leads have one hit, and are seldom needed),
    // each bucket sorted only when it is reached.
    const buckets: number[][] = [];
    for (const lead of touched) (buckets[hitCount[lead]!] ??= []).push(lead);
    const ids = this.leadIds;
    const chosen: number[] = [];
    for (let h = buckets.length - 1; h >= 1 && chosen.length < limit; h--) {
      const bucket = buckets[h];
      if (!bucket) continue;
      bucket.sort((a, b) => last[b]! - last[a]! || (ids[a]! < ids[b]! ? -1 : 1));
      for (const lead of bucket) {
        if (chosen.length >= limit) break;
        chosen.push(lead);
      }
    }
    // The chosen leads' hits, in the order the features were asked.
    const out = chosen.map((lead): CandidateHit => ({ leadId: ids[lead]!, hits: [] }));
    const slot = new Map(chosen.map((lead, k) => [lead, k]));
    for (let k = 0; k < pairs.length; k += 2) {
      const at = slot.get(pairs[k]!);
      if (at !== undefined) out[at]!.hits.push(asked[pairs[k + 1]!]!);
    }
    return out;
  }

  /** Forgets everything posted before `before` (outside every window still asked for). */
  prune(before: string): number {
    let dropped = 0;
    const cut = Date.parse(before);
    for (const [feature, list] of this.lists) {
      const keep = firstAtOrAfter(list, cut);
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
    // Number the leads that are left afresh, so that the look-up's arrays stay the window's size.
    const renumber = new Map<number, number>();
    const ids: string[] = [];
    for (const leadId of this.byLead.keys()) {
      renumber.set(this.leadNo.get(leadId)!, ids.length);
      ids.push(leadId);
    }
    // A report's entry is shared by its features' lists: each is renumbered once.
    const entries = new Set<Entry>();
    for (const list of this.lists.values()) for (const e of list) entries.add(e);
    for (const e of entries) e.lead = renumber.get(e.lead)!;
    this.leadNo.clear();
    ids.forEach((id, n) => this.leadNo.set(id, n));
    this.leadIds = ids;
    this.seenIn = new Uint32Array(0);
    this.entries -= dropped;
    return dropped;
  }

  size(): { reports: number; features: number; entries: number } {
    return { reports: this.reports.size, features: this.lists.size, entries: this.entries };
  }
}
