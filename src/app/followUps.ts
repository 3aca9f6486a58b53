// 回访 tasks: when a lead closes, each reporter who can be reached and did not ask for
// confidentiality gets one. Shared by the use cases that can close a lead.
import type { Kysely } from 'kysely';
import { followUpTasks, type LeadState } from '../domain/lifecycle/index.ts';
import type { Plan } from '../domain/plan.ts';
import type { DB } from '../db/schema/index.ts';

export async function reportersOf(db: Kysely<DB>, leadId: string) {
  const reports = await db.selectFrom('reports').select(['id', 'reporter_name', 'reporter_phone', 'confidential', 'supervisor_id'])
    .where('lead_id', '=', leadId).execute();
  return reports.map((r) => ({
    id: r.id, reporter: { name: r.reporter_name, phone: r.reporter_phone, confidential: Boolean(r.confidential), supervisorId: r.supervisor_id },
  }));
}

/** The follow-up tasks of a lead that closes, as writes (each once per round). */
export async function followUpsPlan(db: Kysely<DB>, lead: LeadState, at: string): Promise<Partial<Plan>> {
  const tasks = followUpTasks(lead, await reportersOf(db, lead.id));
  const round = (lead.reopenedCount ?? 0) + 1;
  return {
    writes: tasks.map((t) => ({
      kind: 'insert' as const, table: 'follow_ups', onConflict: { columns: ['lead_id', 'report_id', 'round'] },
      row: {
        id: `fu_${crypto.randomUUID()}`, lead_id: lead.id, report_id: t.reportId, round, status: 'pending',
        satisfied: null, comment: null, created_at: at, done_at: null,
      },
    })),
  };
}
