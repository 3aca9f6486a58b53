// Reads the recorded state (src/domain/auditState.ts) of leads from their rows: by the write that
// stores it with its events, and by `audit verify` that compares it.
import type { Kysely } from 'kysely';
import { recordedState, type RecordedState } from '../domain/auditState.ts';
import type { DB } from './schema/index.ts';

const CHUNK = 500;

export async function readStates(db: Kysely<DB>, leadIds: readonly string[]): Promise<Map<string, RecordedState>> {
  const out = new Map<string, RecordedState>();
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    const ids = leadIds.slice(i, i + CHUNK);
    const leads = await db.selectFrom('leads').select(['id', 'status', 'routing_agency']).where('id', 'in', ids).execute();
    const rows = await db.selectFrom('assignments').select(['id', 'lead_id', 'agency', 'status', 'ack_due_at', 'due_at'])
      .where('lead_id', 'in', ids).execute();
    const byLead = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byLead.get(r.lead_id) ?? [];
      list.push(r);
      byLead.set(r.lead_id, list);
    }
    for (const l of leads) out.set(l.id, recordedState(l, byLead.get(l.id) ?? []));
  }
  return out;
}
