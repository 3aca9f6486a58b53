// The port the database implements for de-duplication, and the data written for each report.
//
// Tables a SQL store needs (one commit with the lead/report rows):
// Times are UTC ISO strings (Date#toISOString) so that they compare as text.
//   dedupe_posting(feature TEXT, lead_id TEXT, posted_at TEXT, weight REAL)
//       index (feature, posted_at) — ≤ MAX_POSTINGS rows per report
//   dedupe_df(feature TEXT PRIMARY KEY, n INTEGER)   + a counter of documents (dedupe_meta)
//       upsert n = n + 1 for each of IndexWrite.docFeatures
//   dedupe_fingerprint(report_id TEXT PRIMARY KEY, lead_id TEXT, reported_at TEXT, data TEXT /* JSON */)
//       index (lead_id, reported_at)
// Moving a report to another lead (a merge by hand, or undoing one) moves its posting and
// fingerprint rows; document frequencies do not change.
//
// Cost per report: one docFreq read of its distinct features (a few hundred; pass them as one
// JSON array — `WHERE feature IN (SELECT value FROM json_each(?))` in SQLite/D1, `= ANY($1)` in
// PostgreSQL — D1 allows only 100 bound parameters), one candidates query over the posting index
// within the window, one fingerprints read of ≤ 20 leads; writes: ≤ 40 posting rows, one
// fingerprint row and one multi-row upsert of document frequencies (again one JSON parameter).
// Most counted features are seen once (two thirds on the TipDM sample: 546k of 821k); idf treats 1 like 0, so a
// sweep may delete rows with n = 1 not touched within the window to keep dedupe_df small.

/** Kinds of place a report can name; see normalise.ts. */
export type PlaceKind =
  | 'estate' | 'road' | 'market' | 'company' | 'school' | 'hospital' | 'village' | 'park' | 'site';

export interface FingerprintPlace {
  name: string;
  kind: PlaceKind;
  /** Named in the title or more than once: the place the report is about. */
  salient: boolean;
}

/**
 * What is kept for each report so that later reports can be scored against it without reading
 * its text again. Bounded: at most FINGERPRINT_FEATURES weighted n-grams (about 2 kB as JSON).
 */
export interface ReportFingerprint {
  /** The heaviest n-gram features with their weights at intake, heaviest first. */
  vector: [feature: string, weight: number][];
  /** Euclidean norm of `vector`. */
  norm: number;
  places: FingerprintPlace[];
  townships: string[];
  /** Agency codes named (or the reporter's stated subject). */
  subjects: string[];
  /** Names the reporters give for themselves ("我叫…", "本人…"). */
  persons: string[];
  phones: string[];
  orders: string[];
  reportedAt: string;
}

/** A stored lead as scoring sees it: the fingerprints of its most recent reports. */
export interface LeadFingerprint {
  leadId: string;
  /** Newest first; the store may cap this (MAX_REPORTS_PER_LEAD). */
  reports: ReportFingerprint[];
}

export interface CandidateHit {
  leadId: string;
  /** Which of the asked features this lead was posted under. */
  hits: string[];
}

export interface Posting {
  feature: string;
  weight: number;
}

/** Everything the store writes for one report, in the same commit as the report and its lead. */
export interface IndexWrite {
  postings: Posting[];
  /** Distinct features of the report: each document frequency + 1, total documents + 1. */
  docFeatures: string[];
  fingerprint: ReportFingerprint;
}

export interface DedupeIndex {
  /** Documents (reports) counted so far. */
  totalDocs(): Promise<number>;
  /** Document frequency of each feature; missing features may be left out of the map (= 0). */
  docFreq(features: string[]): Promise<Map<string, number>>;
  /**
   * Leads posted under any of these features at or after `since` (ISO time), the ones with most
   * hits first, at most `limit` leads. SQL: SELECT lead_id, feature FROM dedupe_posting
   * WHERE feature IN (…) AND posted_at >= ? — grouped by lead_id, ORDER BY count(*) DESC LIMIT ?.
   */
  candidates(features: string[], since: string, limit: number): Promise<CandidateHit[]>;
  /** Fingerprints of these leads (newest reports first, capped). Unknown ids are left out. */
  fingerprints(leadIds: string[]): Promise<LeadFingerprint[]>;
}

/** At most this many posting rows per report. */
export const MAX_POSTINGS = 40;
/** At most this many weighted n-grams kept in a report's fingerprint. */
export const FINGERPRINT_FEATURES = 128;
/** Scoring looks at the newest reports of a lead only. */
export const MAX_REPORTS_PER_LEAD = 8;
