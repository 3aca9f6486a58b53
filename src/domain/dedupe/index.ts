// De-duplication: is an incoming report about a problem already held as a lead?
//
//   const { decision, write } = await dedupe(index, draft);
//   // store, in one commit: the report under decision.leadId (merge) or a new lead, and `write`
//   // (postings, document frequencies, fingerprint) under that same lead.
//
// `decision` has the shape of intake's DedupeDecision.
export { extractKeys, keyStrings, normalise, prepare, subjectsIn } from './normalise.ts';
export type { ExtractedKeys, KeyKind, PlaceKey } from './normalise.ts';
export {
  DEFAULT_FEATURE_OPTIONS, cosine, countsOf, featureHashes, featureNames, idf, isNoise,
  packFingerprint, rawFeatures, weigh,
  reportTextOf,
} from './features.ts';
export type { FeatureOptions, QueryReport, RawFeatures, ReportText, WeightedReport } from './features.ts';
export { FINGERPRINT_FEATURES, MAX_POSTINGS, MAX_REPORTS_PER_LEAD } from './port.ts';
export type {
  CandidateHit, DedupeIndex, FingerprintPlace, IndexWrite, LeadFingerprint, PackedVector, PlaceKind, Posting,
  ReportFingerprint, ScoringFingerprint,
} from './port.ts';
export { createMemoryIndex } from './memoryIndex.ts';
export type { MemoryIndex } from './memoryIndex.ts';
export {
  DEFAULT_DEDUPE_CONFIG, DEFAULT_DEDUPE_OPTIONS, DEFAULT_SCORE_WEIGHTS, DEFAULT_THRESHOLDS, DedupeOptionsSchema,
  ThresholdsSchema, decide, dedupe, explain, samePlace, scoreLead,
} from './decide.ts';
export type {
  DedupeConfig, DedupeDecision, DedupeOptions, DedupeResult, ScoreDetail, ScoreWeights, Thresholds,
} from './decide.ts';
