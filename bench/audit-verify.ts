// What `audit verify` costs: N leads, each written through src/db/write.ts as the service does (a
// lead and an assignment through the store's bulkLoad inside the write, three events with the
// lead's recorded state, the chain keyed with a key),
// then the whole verification timed (chain + recorded states against the rows), next to the hash
// chain alone over the same entries in memory. `npx tsx bench/audit-verify.ts` (BENCH_AUDIT_LEADS,
// default 10000; BENCH_AUDIT_DIALECT=sqlite|postgres, default sqlite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { auditKey, verifyChain, type ChainedEvent } from '../src/domain/audit.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { readHead, startAuditChain, verifyAudit } from '../src/db/stores/audit.ts';
import { bulkLoad } from '../src/db/stores/bulkLoad.ts';
import { write } from '../src/db/commit.ts';
import { connect } from '../src/runtime/database.ts';

const N = Number(process.env.BENCH_AUDIT_LEADS ?? 10_000);
const dialect = process.env.BENCH_AUDIT_DIALECT ?? 'sqlite';
const PG = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const key = auditKey('bench-audit-key-0123456789abcdef-0123456789');

async function main(): Promise<void> {
  let dir: string | undefined;
  let schema: string | undefined;
  let url: string;
  if (dialect === 'postgres') {
    schema = `bench_audit_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    url = PG;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'xiansuo-bench-audit-'));
    url = join(dir, 'bench.db');
  }
  const d = connect(url, { pgSchema: schema });
  try {
    await migrateToLatest(d.db, schema);
    await startAuditChain(d.db, key, new Date().toISOString());
    const t0 = performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 1; i <= N; i++) {
      const id = `XS-2026-${String(i).padStart(6, '0')}`;
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      pending.push(write(d.db, async (tx, rec) => {
        await bulkLoad(tx, {
          leads: [{ id, status: 'assigned', title: `标题 ${i}`, content: `内容 ${i}`, routingAgency: 'urban', channels: ['hotline'], createdAt: at }],
          assignments: [{ id: `AS-${i}`, leadId: id, agency: 'urban', status: 'assigned', assignedAt: at, ackDueAt: at, dueAt: at }],
        });
        for (const action of ['lead.created', 'lead.routed', 'lead.assigned']) {
          rec.record({ leadId: id, actor: 'bench', action, at, data: { i, note: '渣土车夜间抛洒，路面脏乱，请相关部门处理' } });
        }
      }));
      if (pending.length >= 256) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    const written = performance.now() - t0;
    const head = await readHead(d.db);

    const t1 = performance.now();
    const report = await verifyAudit(d.db, { key });
    const whole = performance.now() - t1;
    if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report)}`);

    const rows = await d.db.selectFrom('events').selectAll().orderBy('seq').execute();
    const events: ChainedEvent[] = rows.map((r) => ({
      seq: Number(r.seq), leadId: r.lead_id, reportId: r.report_id, actor: r.actor, action: r.action, at: r.at,
      data: r.data, state: r.state, prevHash: r.prev_hash, hash: r.hash,
    }));
    const t2 = performance.now();
    const chainOnly = await verifyChain(events, { seq: head.seq, hash: head.hash }, { key, marker: head.marker });
    const hashing = performance.now() - t2;
    if (!chainOnly.ok) throw new Error('chain failed');

    console.log(`${dialect}: ${N} leads, ${head.seq} entries (keyed), written in ${(written / 1000).toFixed(1)} s`);
    console.log(`audit verify (chain + recorded states vs rows): ${(whole / 1000).toFixed(2)} s`
      + ` = ${(whole / N).toFixed(3)} ms per lead; states checked ${report.states?.checked}`);
    console.log(`of which keyed hashing alone, in memory: ${(hashing / 1000).toFixed(2)} s (${((hashing / head.seq) * 1000).toFixed(1)} µs per entry)`);
  } finally {
    await d.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schema) {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    }
  }
}

await main();
