// The deadline sweep: finds what falls due with an indexed range query on next_reminder_at,
// decides the reminder stages (预警, 超期, 督办) and writes each reminder with its unique key in the
// same commit as its outbox messages. Running it twice for the same time sends nothing new.
import { dueStages, isIsoDate, localDate, type StageDue } from '../domain/calendar/index.ts';
import { countWorkingDaysLeft, reminderRecipients, type DigestItem } from '../notify/index.ts';
import { deadlineStateOf, nextReminderAt, openDeadlines } from '../db/stores/lifecycle.ts';
import { write } from '../db/write.ts';
import type { JobDeps } from './context.ts';
import { queueNotice } from './messages.ts';
import { agencyOrPlaceholder } from '../app/notices.ts';
import { hotspotDigest } from './hotspots.ts';
import { tagCampaignLeads } from '../app/tagCampaignLeads.ts';

const PAGE = 500;
/** Daily digests go out from this local time on working days. */
export const DIGEST_TIME = '08:30';

export interface SweepResult { assignments: number; reminders: number; superseded: number; digests: number; campaignTagged: number }

function reminderKey(s: StageDue, dueAt: string): string {
  return `${s.kind}@${dueAt}:${s.stage}`;
}

export async function sweep(deps: JobDeps, now: Date): Promise<SweepResult> {
  const calendar = await deps.calendar.reload();
  const tz = deps.config.tz;
  const at = now.toISOString();
  const result: SweepResult = { assignments: 0, reminders: 0, superseded: 0, digests: 0, campaignTagged: 0 };

  // Pages walk the next_reminder_at index: the cost follows what is due, not what is stored.
  let after = { at: '', id: '' };
  for (;;) {
    const due = await deps.db.selectFrom('assignments').select(['id', 'next_reminder_at'])
      .where('next_reminder_at', '<=', at)
      .where((eb) => eb(eb.refTuple('next_reminder_at', 'id'), '>', eb.tuple(after.at, after.id)))
      .orderBy('next_reminder_at').orderBy('id').limit(PAGE).execute();
    for (const { id } of due) {
      result.assignments++;
      await write(deps.db, async (tx, rec) => {
        const a = await tx.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst();
        if (!a || !a.next_reminder_at || a.next_reminder_at > at) return; // another instance was first
        const lead = await tx.selectFrom('leads').select(['id', 'title']).where('id', '=', a.lead_id).executeTakeFirstOrThrow();
        const agency = agencyOrPlaceholder(deps.directory, a.agency);
        const state = deadlineStateOf(a);
        for (const deadline of openDeadlines(state)) {
          const dueAt = String(deadline.dueAt);
          for (const stage of dueStages(deadline, a.assigned_at, at, calendar, tz)) {
            const key = reminderKey(stage, dueAt);
            const fresh = await tx.insertInto('reminders').values({
              assignment_id: a.id, key, lead_id: a.lead_id, stage: stage.stage, due_at: stage.dueAt,
              created_at: at, sent: stage.superseded ? 0 : 1,
            }).onConflict((oc) => oc.columns(['assignment_id', 'key']).doNothing()).returning('key').executeTakeFirst();
            if (!fresh) continue;
            if (stage.superseded) {
              result.superseded++;
              rec.record({ leadId: a.lead_id, actor: 'system:sweep', action: 'reminder.superseded', at, data: { assignment: a.id, agency: a.agency, key } });
              continue;
            }
            const workingDaysLeft = countWorkingDaysLeft(dueAt, at, calendar, tz);
            const input = {
              leadId: lead.id, title: lead.title, agencyName: agency.name, kind: deadline.kind, stage: stage.stage, dueAt, workingDaysLeft,
            };
            const { to, cc } = reminderRecipients(stage.stage, agency, deps.directory.bureauEmail);
            await queueNotice(tx, { key: `reminder:${a.id}:${key}`, leadId: lead.id, agency, to, cc, template: { name: 'reminder', input } }, at);
            result.reminders++;
            rec.record({
              leadId: a.lead_id, actor: 'system:sweep', action: 'reminder.sent', at,
              data: { assignment: a.id, agency: a.agency, kind: deadline.kind, stage: stage.stage, dueAt, workingDaysLeft, to, cc, key },
            });
          }
        }
        await tx.updateTable('assignments').set({ next_reminder_at: nextReminderAt(state, at, calendar, tz) })
          .where('id', '=', a.id).execute();
      });
    }
    if (due.length < PAGE) break;
    const last = due[due.length - 1]!;
    after = { at: last.next_reminder_at!, id: last.id };
  }
  result.digests = await digests(deps, now);
  result.campaignTagged = await tagCampaignLeads(deps, now);
  return result;
}

/** The daily digest per agency (每日待办汇总), once per working day, from 08:30 local time. */
async function digests(deps: JobDeps, now: Date): Promise<number> {
  const tz = deps.config.tz;
  const calendar = deps.calendar.current();
  const today = localDate(now, tz);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
  if (!isIsoDate(today) || !calendar.isWorkingDay(today) || time < DIGEST_TIME) return 0;
  const at = now.toISOString();
  // Once today's digests are all queued, later sweeps of the day read nothing more.
  const marker = `digests:${today}`;
  if (await deps.db.selectFrom('job_runs').select('key').where('key', '=', marker).executeTakeFirst()) return 0;
  await publishChainHead(deps, today, at);
  await hotspotDigest(deps, today, now);
  const open = await deps.db.selectFrom('assignments')
    .innerJoin('leads', 'leads.id', 'assignments.lead_id')
    .select(['assignments.agency', 'assignments.status', 'assignments.ack_due_at', 'assignments.due_at', 'leads.id as lead_id', 'leads.title'])
    .where('assignments.status', 'in', ['assigned', 'acknowledged']).execute();
  const byAgency = new Map<string, DigestItem[]>();
  for (const r of open) {
    const kind = r.status === 'assigned' ? 'acknowledge' : 'feedback';
    const dueAt = (kind === 'acknowledge' ? r.ack_due_at : r.due_at) ?? at;
    const items = byAgency.get(r.agency) ?? [];
    items.push({ leadId: r.lead_id, title: r.title, kind, dueAt, workingDaysLeft: countWorkingDaysLeft(dueAt, at, calendar, tz) });
    byAgency.set(r.agency, items);
  }
  let sent = 0;
  for (const [code, items] of byAgency) {
    const agency = agencyOrPlaceholder(deps.directory, code);
    await write(deps.db, async (tx, rec) => {
      const key = `digest:${code}:${today}`;
      const fresh = await tx.insertInto('job_runs').values({ key, at })
        .onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
      if (!fresh) return;
      const input = { agencyName: agency.name, date: today, now: at, items };
      await queueNotice(tx, { key, leadId: null, agency, to: [agency.email], template: { name: 'digest', input } }, at);
      rec.record({ leadId: null, actor: 'system:sweep', action: 'digest.sent', at, data: { agency: code, date: today, items: items.length } });
      sent++;
    });
  }
  await deps.db.insertInto('job_runs').values({ key: marker, at }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return sent;
}

/**
 * Publishes the chain head (the last entry's seq and hash) once a day: in a mail to the bureau, in
 * the log (one info line) and in the record itself. A published head is an anchor for
 * `xiansuo audit verify --anchor SEQ:HASH`: whoever rewrites the record up to it is found.
 */
async function publishChainHead(deps: JobDeps, today: string, at: string): Promise<void> {
  const head = await write(deps.db, async (tx, rec) => {
    const key = `audit-head:${today}`;
    const fresh = await tx.insertInto('job_runs').values({ key, at })
      .onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
    if (!fresh) return undefined;
    const h = await tx.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from']).where('id', '=', 1).executeTakeFirstOrThrow();
    const input = { date: today, at, seq: Number(h.seq), hash: h.hash, keyed: h.keyed_from !== null };
    await queueNotice(tx, { key, leadId: null, agency: null, to: [deps.directory.bureauEmail], template: { name: 'audit-head', input } }, at);
    rec.record({ leadId: null, actor: 'system:sweep', action: 'audit.head-published', at, data: { seq: input.seq, hash: input.hash, date: today } });
    return input;
  });
  if (head) deps.log.info({ msg: '全过程记录链头', date: today, seq: head.seq, hash: head.hash, anchor: `${head.seq}:${head.hash}` });
}
