// De-duplication on Workers: the look-up index in the Durable Object, over D1, decides the same
// as the Node index over SQLite on the same stream of reports (globalSetup.ts ran the Node side).
// After each decision the report's index rows are stored in D1 as the intake commit stores them
// (src/db/stores/dedupe.ts writeIndex: fingerprint row, document-frequency log row, the log's seq).
import { abortAllDurableObjects, env } from 'cloudflare:test';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dedupeStub } from '../../src/runtime/workerDeps.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';
import { dedupeStream, precisionRecall, type StreamDecision } from './stream.ts';

const node = inject('nodeDedupe');

async function storeRows(seq: number, leadId: string, reportId: string, rows: { postedAt: string; fingerprint: string; postings: string; docHashes: Uint32Array }) {
  const hashes = new Uint8Array(rows.docHashes.buffer, rows.docHashes.byteOffset, rows.docHashes.byteLength);
  await env.DB.batch([
    env.DB.prepare('insert into counters (name, last) values (?, ?) on conflict (name) do update set last = excluded.last').bind('dedupe-log', seq),
    env.DB.prepare('insert into dedupe_fingerprint (report_id, lead_id, reported_at, data, seq, postings) values (?, ?, ?, ?, ?, ?)')
      .bind(reportId, leadId, rows.postedAt, rows.fingerprint, seq, rows.postings),
    env.DB.prepare('insert into dedupe_df_log (seq, report_id, hashes, created_at) values (?, ?, ?, ?)').bind(seq, reportId, hashes, rows.postedAt),
  ]);
}

describe('de-duplication in a Durable Object', () => {
  // The stream's rows name leads that do not exist: gone afterwards, and the object restarted (it
  // rebuilds its index from D1), so that later cases start from an empty index.
  afterAll(async () => {
    await env.DB.batch([
      env.DB.prepare('delete from dedupe_fingerprint'), env.DB.prepare('delete from dedupe_df_log'),
      env.DB.prepare("delete from counters where name = 'dedupe-log'"),
    ]);
    await abortAllDurableObjects();
  });

  it('decides every report of the stream as the Node index does: the same precision and recall', async () => {
    const stub = dedupeStub(env as unknown as WorkerEnv);
    const stream = dedupeStream();
    const decisions: StreamDecision[] = [];
    let seq = 0;
    for (const m of stream) {
      const { decision, rows } = await stub.lookUp(m.report);
      const leadOf = decision.kind === 'merge' ? decision.leadId : m.id;
      await storeRows(++seq, leadOf, m.id, rows);
      decisions.push({ id: m.id, kind: decision.kind, leadOf });
    }
    const workers = precisionRecall(stream, decisions);
    console.log(`de-duplication on ${stream.length} reports: Node precision ${node.precision.toFixed(3)} recall ${node.recall.toFixed(3)}; Workers precision ${workers.precision.toFixed(3)} recall ${workers.recall.toFixed(3)}`);
    expect(decisions).toEqual(node.decisions);
    expect(workers.precision).toBe(node.precision);
    expect(workers.recall).toBe(node.recall);
    // The stream has repeats, and they are found: the comparison is not between two empty answers.
    expect(decisions.filter((d) => d.kind === 'merge').length).toBeGreaterThan(3);
    expect(await stub.stats()).toMatchObject({ lookUps: stream.length, docs: stream.length });
  });
});
