// The explicit list of migrations (no file-system scan, so bundlers and Workers see them all).
import type { Migration } from 'kysely';
import * as m001 from './001_initial.ts';
import * as m002 from './002_tracking.ts';
import * as m003 from './003_dedupe.ts';
import * as m004 from './004_dedupe_pending.ts';
import * as m005 from './005_dedupe_sketch.ts';
import * as m006 from './006_source_scoped_webhook_ids.ts';
import * as m007 from './007_token_lifecycle.ts';
import * as m008 from './008_sessions.ts';
import * as m009 from './009_stats_publication.ts';
import * as m010 from './010_callbacks_and_source_log.ts';
import * as m011 from './011_plan_guard_and_legacy_dedupe.ts';
import * as m012 from './012_campaign_exclusions.ts';
export const MIGRATIONS: Record<string, Migration> = {
  '001_initial': m001,
  '002_tracking': m002,
  '003_dedupe': m003,
  '004_dedupe_pending': m004,
  '005_dedupe_sketch': m005,
  '006_source_scoped_webhook_ids': m006,
  '007_token_lifecycle': m007,
  '008_sessions': m008,
  '009_stats_publication': m009,
  '010_callbacks_and_source_log': m010,
  '011_plan_guard_and_legacy_dedupe': m011,
  '012_campaign_exclusions': m012,
};
