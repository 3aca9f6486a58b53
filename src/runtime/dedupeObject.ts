// De-duplication on Workers: one Durable Object holds the look-up index that a Node process holds
// in memory (src/db/stores/dedupe.ts: the posting window and the document-frequency sketch) and
// answers look-ups over RPC. Worker isolates come and go; this object is one instance in one place,
// the only holder of the index, so every look-up sees one index built the same way as Node's.
//
// It is rebuilt from D1 when it starts (the first look-up loads the window and the sketch from the
// fingerprint rows and the document-frequency log), and before every look-up it reads the rows
// committed since the last one (no change probe on D1, so the index's change gate always reads:
// one indexed range query per table, usually empty). The rows are written by the intake commit in
// the worker, in the same D1 batch as the report, exactly as on Node, so D1 stays the truth: an
// object that is evicted or restarted loses nothing.
import { DurableObject } from 'cloudflare:workers';
import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { indexRows, sqlDedupeIndex, type IndexRows, type SqlDedupeIndex } from '../db/stores/dedupe.ts';
import type { DB } from '../db/schema/index.ts';
import { dedupe, DEFAULT_DEDUPE_CONFIG, type DedupeConfig, type DedupeResult, type ReportText } from '../domain/dedupe/index.ts';
import type { WorkerEnv } from './workerEnv.ts';

export interface LookUpAnswer {
  decision: DedupeResult['decision'];
  rows: IndexRows;
}

export class DedupeIndexObject extends DurableObject<WorkerEnv> {
  private readonly index: SqlDedupeIndex;
  private looked = 0;

  constructor(ctx: ConstructorParameters<typeof DurableObject<WorkerEnv>>[0], env: WorkerEnv) {
    super(ctx, env);
    const db = new Kysely<DB>({ dialect: new D1Dialect({ database: env.DB as never }) });
    this.index = sqlDedupeIndex(db);
  }

  /** The decision for one report and the index rows the intake commit writes with it. */
  async lookUp(report: ReportText, config: DedupeConfig = DEFAULT_DEDUPE_CONFIG): Promise<LookUpAnswer> {
    const { decision, write } = await dedupe(this.index, report, config);
    this.looked++;
    return { decision, rows: indexRows(write) };
  }

  /** What the index holds now (for tests and the operator). */
  async stats(): Promise<{ lookUps: number; docs: number }> {
    return { lookUps: this.looked, docs: await this.index.totalDocs() };
  }
}
