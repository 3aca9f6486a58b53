// The port the database implements for de-duplication, and the data written for each report.
//
// How the SQL store keeps it (src/db/stores/dedupe.ts): per report, in the intake commit, one
// fingerprint row (the fingerprint as JSON and the features it is posted under) and one
// document-frequency log row (the hashes of its distinct features). Look-ups read two in-memory
// structures every instance rebuilds from those rows: the posting window (postingWindow.ts: the
// reports posted under each feature inside the window) and a count-min sketch of document
// frequencies (sketch.ts). Only the fingerprints of the ≤ scoredLeads leads found are read.
// Moving a report to another lead (a merge by hand, or undoing one) does not touch the index:
// intake follows a merged lead to the lead it was merged into.

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

/**
 * A stored report's weighted n-grams as scoring holds them: a few flat arrays instead of an array,
 * a string and a number per n-gram (the stores keep thousands of these in memory, and a heap of
 * millions of small objects made every garbage collection slow).
 */
export interface PackedVector {
  /** The n-grams one after another. */
  grams: string;
  /**
   * For n-gram k, at 2k and 2k + 1: its gramCode (ngrams.ts) and its weight. Scoring reads a few
   * dozen stored reports per look-up, mostly from memory no cache holds: two arrays read front to
   * back cost less than four.
   */
  codeWeights: Float64Array;
  /** For n-gram k, at 2k and 2k + 1: its hash32, and where it ends in `grams` (it starts where k − 1 ends). */
  hashEnds: Uint32Array;
}

/** A stored report as scoring sees it (features.ts packFingerprint). */
export interface ScoringFingerprint extends Omit<ReportFingerprint, 'vector'> {
  vector: PackedVector;
  /** reportedAt in ms since the epoch (parsed once: a look-up compares up to 80 stored reports). */
  reportedAtMs: number;
}

/** A stored lead as scoring sees it: the fingerprints of its most recent reports. */
export interface LeadFingerprint {
  leadId: string;
  /** Newest first; the store may cap this (MAX_REPORTS_PER_LEAD). */
  reports: ScoringFingerprint[];
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
  /**
   * The 32-bit hashes of the report's distinct features (sketch.ts documentHashes): each document
   * frequency + 1, total documents + 1. Hashes, not the features: a report has ~1,000 of them.
   */
  docHashes: Uint32Array;
  fingerprint: ReportFingerprint;
}

export interface DedupeIndex {
  /** Documents (reports) counted so far. */
  totalDocs(): Promise<number>;
  /** Document frequency of each feature, given by its hash (sketch.ts hash32), in the same order. */
  docFreq(hashes: Uint32Array): Promise<Uint32Array>;
  /**
   * Leads posted under any of these features at or after `since` (ISO time), the ones with most
   * hits first (then the most recently posted), at most `limit` leads.
   */
  candidates(features: string[], since: string, limit: number): Promise<CandidateHit[]>;
  /**
   * Fingerprints of these leads' reports posted at or after `since` (the window: a lead is scored
   * by what it was told recently), newest first, at most MAX_REPORTS_PER_LEAD each. Unknown ids
   * are left out.
   */
  fingerprints(leadIds: string[], since: string): Promise<LeadFingerprint[]>;
}

/** At most this many posting rows per report. */
export const MAX_POSTINGS = 40;
/** At most this many weighted n-grams kept in a report's fingerprint. */
export const FINGERPRINT_FEATURES = 128;
/** Scoring looks at the newest reports of a lead only. */
export const MAX_REPORTS_PER_LEAD = 8;
