// The reads intake plans on (src/app/intake.ts): prior deliveries, the live lead a merge goes to,
// the report a revision replaces. The writes are the plan's (src/domain/intake.ts).
import type { Kysely } from 'kysely';
import type { IntakeAnswer, IntakeReads, Prior } from '../../domain/intake.ts';
import type { Source } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';

export function intakeReads(db: Kysely<DB>): IntakeReads {
  return {
    prior: async (incoming) => {
      const prior: Prior = {};
      if (incoming.webhookId) {
        const d = await db.selectFrom('deliveries').select(['body_hash', 'report_id'])
          .where('source', '=', incoming.source).where('webhook_id', '=', incoming.webhookId).executeTakeFirst();
        if (d) prior.delivery = { bodyHash: d.body_hash, reportId: d.report_id };
      }
      const r = await db.selectFrom('reports').select(['id', 'lead_id', 'content_hash', 'revision', 'answer'])
        .where('source', '=', incoming.source).where('external_id', '=', incoming.draft.externalId).executeTakeFirst();
      if (r) {
        prior.report = {
          id: r.id, leadId: r.lead_id, contentHash: r.content_hash, revision: Number(r.revision),
          answer: JSON.parse(r.answer) as IntakeAnswer,
        };
      }
      return prior;
    },
    liveLead: async (leadId) => {
      const seen = new Set<string>();
      for (let id = leadId; !seen.has(id);) { // each hop a lead not seen before: bounded by the data
        seen.add(id);
        const row = await db.selectFrom('leads').select(['id', 'status', 'merged_into', 'channels', 'priority'])
          .where('id', '=', id).executeTakeFirst();
        if (!row) return undefined;
        if (row.status !== 'merged' || !row.merged_into) {
          return { id: row.id, status: row.status, channels: JSON.parse(row.channels) as Source[], priority: row.priority };
        }
        id = row.merged_into;
      }
      return undefined;
    },
    report: async (reportId) => {
      const r = await db.selectFrom('reports').select(['revision', 'webhook_id', 'content_hash', 'payload', 'received_at'])
        .where('id', '=', reportId).executeTakeFirstOrThrow();
      return {
        revision: Number(r.revision), webhookId: r.webhook_id, contentHash: r.content_hash, payload: r.payload, receivedAt: r.received_at,
      };
    },
  };
}
