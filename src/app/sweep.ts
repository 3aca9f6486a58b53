// The deadline sweep: finds what falls due with an indexed range query on next_reminder_at,
// decides the reminder stages (预警, 超期, 督办) and writes each reminder with its unique key in the
// same commit as its outbox messages. Running it twice for the same time sends nothing new.
import { dueStages, isIsoDate, localDate, type StageDue } from '../domain/calendar/index.ts';
import { countWorkingDaysLeft, reminderRecipients, type DigestItem } from '../notify/index.ts';
import { deadlineStateOf, nextReminderAt, openDeadlines } from '../db/stores/lifecycle.ts';
import { planAndCommit, type Plan } from '../domain/plan.ts';
import { jobRan, jobRun, onceByKey } from './onceByKey.ts';
import type { WorkingCalendar } from '../domain/calendar/index.ts';
import type { JobDeps } from './jobDeps.ts';
import { noticeRows, type Notice } from './outboxMessages.ts';
import { agencyOrPlaceholder } from './notices.ts';
import { hotspotDigest } from './hotspotMail.ts';
import { tagCampaignLeads } from './tagCampaignLeads.ts';

const PAGE = 500;
/** Daily digests go out from this local time on working days. */
export const DIGEST_TIME = '08:30';

export interface SweepResult { assignments: number; reminders: number; superseded: number; digests: number; campaignTagged: number }

function reminderKey(s: StageDue, dueAt: string): string {
  return `${s.kind}@${dueAt}:${s.stage}`;
}

export async function sweep(deps: JobDeps, now: Date): Promise<SweepResult> {
  const calendar = await deps.calendar.reload();
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
      const done = await remind(deps, id, at, calendar);
      result.reminders += done.reminders;
      result.superseded += done.superseded;
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
  if (await jobRan(deps, marker)) return 0;
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
    const key = `digest:${code}:${today}`;
    const input = { agencyName: agency.name, date: today, now: at, items };
    const fresh = await onceByKey(deps, key, at, async () => ({
      writes: await noticeRows(deps, [{ key, leadId: null, agency, to: [agency.email], template: { name: 'digest', input } }], at),
      events: [{ leadId: null, actor: 'system:sweep', action: 'digest.sent', at, data: { agency: code, date: today, items: items.length } }],
    }));
    if (fresh) sent++;
  }
  await deps.store.commit({ guards: [], events: [], counters: [], writes: [jobRun(marker, at, true)] });
  return sent;
}
/**
 * Publishes the chain head (the last entry's seq and hash) once a day: in a mail to the bureau, in
 * the log (one info line) and in the record itself. A published head is an anchor for
 * `xiansuo audit verify --anchor SEQ:HASH`: whoever rewrites the record up to it is found.
 */
async function publishChainHead(deps: JobDeps, today: string, at: string): Promise<void> {
  const key = `audit-head:${today}`;
  const head = await planAndCommit(deps.store, async () => {
    if (await jobRan(deps, key)) return { done: undefined };
    const h = await deps.db.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from']).where('id', '=', 1).executeTakeFirstOrThrow();
    const input = { date: today, at, seq: Number(h.seq), hash: h.hash, keyed: h.keyed_from !== null };
    const plan: Plan = {
      // The head read is still the head: the entry recording its publication comes right after it.
      guards: [
        { kind: 'absent', table: 'job_runs', where: { key }, reason: `${key} 已完成` },
        { kind: 'exists', table: 'audit_head', where: { id: 1, seq: h.seq, hash: h.hash }, reason: '全过程记录链头已变化' },
      ],
      writes: [jobRun(key, at), ...await noticeRows(deps, [{ key, leadId: null, agency: null, to: [deps.directory.bureauEmail], template: { name: 'audit-head', input } }], at)],
      events: [{ leadId: null, actor: 'system:sweep', action: 'audit.head-published', at, data: { seq: input.seq, hash: input.hash, date: today } }],
      counters: [],
    };
    return { plan, answer: () => input };
  });
  if (head) deps.log.info({ msg: '全过程记录链头', date: today, seq: head.seq, hash: head.hash, anchor: `${head.seq}:${head.hash}` });
}

/**
 * The reminders due on one assignment at `at`, with their notices, and its next reminder time, as
 * one plan guarded by the assignment's deadlines as read and by each reminder's key being free.
 */
async function remind(deps: JobDeps, id: string, at: string, calendar: WorkingCalendar): Promise<{ reminders: number; superseded: number }> {
  const tz = deps.config.tz;
  return planAndCommit<{ reminders: number; superseded: number }>(deps.store, async () => {
    const a = await deps.db.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!a || !a.next_reminder_at || a.next_reminder_at > at) return { done: { reminders: 0, superseded: 0 } }; // another instance was first
    const lead = await deps.db.selectFrom('leads').select(['id', 'title']).where('id', '=', a.lead_id).executeTakeFirstOrThrow();
    const have = new Set((await deps.db.selectFrom('reminders').select('key').where('assignment_id', '=', a.id).execute()).map((r) => r.key));
    const agency = agencyOrPlaceholder(deps.directory, a.agency);
    const state = deadlineStateOf(a);
    const plan: Plan = {
      guards: [{
        kind: 'exists', table: 'assignments', reason: `交办 ${a.id} 已变化`,
        where: { id: a.id, status: a.status, next_reminder_at: a.next_reminder_at, ack_due_at: a.ack_due_at, due_at: a.due_at },
      }],
      writes: [], events: [], counters: [],
    };
    const notices: Notice[] = [];
    let reminders = 0;
    let superseded = 0;
    for (const deadline of openDeadlines(state)) {
      const dueAt = String(deadline.dueAt);
      for (const stage of dueStages(deadline, a.assigned_at, at, calendar, tz)) {
        const key = reminderKey(stage, dueAt);
        if (have.has(key)) continue;
        have.add(key);
        plan.guards.push({ kind: 'absent', table: 'reminders', where: { assignment_id: a.id, key }, reason: `提醒 ${key} 已记录` });
        plan.writes.push({
          kind: 'insert', table: 'reminders',
          row: { assignment_id: a.id, key, lead_id: a.lead_id, stage: stage.stage, due_at: stage.dueAt, created_at: at, sent: stage.superseded ? 0 : 1 },
        });
        if (stage.superseded) {
          superseded++;
          plan.events.push({ leadId: a.lead_id, actor: 'system:sweep', action: 'reminder.superseded', at, data: { assignment: a.id, agency: a.agency, key } });
          continue;
        }
        const workingDaysLeft = countWorkingDaysLeft(dueAt, at, calendar, tz);
        const input = {
          leadId: lead.id, title: lead.title, agencyName: agency.name, kind: deadline.kind, stage: stage.stage, dueAt, workingDaysLeft,
        };
        const { to, cc } = reminderRecipients(stage.stage, agency, deps.directory.bureauEmail);
        notices.push({ key: `reminder:${a.id}:${key}`, leadId: lead.id, agency, to, cc, template: { name: 'reminder', input } });
        reminders++;
        plan.events.push({
          leadId: a.lead_id, actor: 'system:sweep', action: 'reminder.sent', at,
          data: { assignment: a.id, agency: a.agency, kind: deadline.kind, stage: stage.stage, dueAt, workingDaysLeft, to, cc, key },
        });
      }
    }
    plan.writes.push(...await noticeRows(deps, notices, at));
    plan.writes.push({ kind: 'update', table: 'assignments', set: { next_reminder_at: nextReminderAt(state, at, calendar, tz) }, where: { id: a.id } });
    return { plan, answer: () => ({ reminders, superseded }) };
  });
}
