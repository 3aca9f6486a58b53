// 回访 tasks: when a lead closes, each reporter who can be reached and did not ask for
// confidentiality gets one. Shared by the use cases that can close a lead.
import { followUpTasks, type LeadState } from '../domain/lifecycle/index.ts';
import type { Tx } from '../db/write.ts';

export async function reportersOf(tx: Tx, leadId: string) {
  const reports = await tx.selectFrom('reports').select(['id', 'reporter_name', 'reporter_phone', 'confidential', 'supervisor_id'])
    .where('lead_id', '=', leadId).execute();
  return reports.map((r) => ({
    id: r.id, reporter: { name: r.reporter_name, phone: r.reporter_phone, confidential: Boolean(r.confidential), supervisorId: r.supervisor_id },
  }));
}

export async function createFollowUps(tx: Tx, lead: LeadState, at: string): Promise<void> {
  const tasks = followUpTasks(lead, await reportersOf(tx, lead.id));
  const round = (lead.reopenedCount ?? 0) + 1;
  for (const t of tasks) {
    await tx.insertInto('follow_ups').values({
      id: `fu_${crypto.randomUUID()}`, lead_id: lead.id, report_id: t.reportId, round, status: 'pending',
      satisfied: null, comment: null, created_at: at, done_at: null,
    }).onConflict((oc) => oc.columns(['lead_id', 'report_id', 'round']).doNothing()).execute();
  }
}
