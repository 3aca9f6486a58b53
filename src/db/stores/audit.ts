// Reads the whole full-process record in seq order, in pages, and checks its hash chain.
import type { Kysely } from 'kysely';
import { verifyChain, type ChainedEvent, type VerifyResult } from '../../domain/audit.ts';
import type { DB } from '../schema/index.ts';

async function* allEvents(db: Kysely<DB>, pageSize = 1000): AsyncGenerator<ChainedEvent> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('events').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) {
      yield {
        seq: Number(r.seq), leadId: r.lead_id, reportId: r.report_id, actor: r.actor, action: r.action,
        at: r.at, data: r.data, prevHash: r.prev_hash, hash: r.hash,
      };
    }
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function verifyAudit(db: Kysely<DB>): Promise<VerifyResult> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return verifyChain(allEvents(db), { seq: Number(head.seq), hash: head.hash });
}
