// Notices as outbox rows of a plan: one e-mail, plus one message per group robot the agency has.
// The outbox keeps the template's name and its (small) input, sealed: mails and robot messages
// never carry a reporter's personal data (API.md §3). Rendered when delivered (src/jobs/deliver.ts).
import { findAgency, type Agency, type Directory } from '../domain/directory.ts';
import type { LeadState } from '../domain/lifecycle/index.ts';
import type { Write } from '../domain/plan.ts';
import type { TextMasker } from '../domain/privacy/maskText.ts';
import { noticeLeadIds, sealNoticeInput } from '../notify/index.ts';

/** A template's name and input (src/jobs/messages.ts names them all). */
export interface NoticeTemplate { name: string; input: unknown }

export interface Notice {
  /** Unique: the same key is never sent twice. */
  key: string;
  leadId: string | null;
  agency: Agency | null;
  to: string[];
  cc?: string[];
  template: NoticeTemplate;
}

/** The masker for the texts about a lead (its reporters'); maskText when none is known. */
export type MaskFor = (leadId: string | null) => TextMasker;

export function agencyOrPlaceholder(dir: Directory, code: string): Agency {
  return findAgency(dir, code) ?? {
    code, name: code, kind: 'agency', email: dir.bureauEmail, headEmail: dir.bureauEmail,
  };
}

/** The lead ids whose reporters a notice's masking needs. */
export function noticeLeads(n: Notice): string[] {
  return noticeLeadIds(n.template.input);
}

/** The outbox rows of a notice (each added unless its key is there already). */
export function noticeWrites(n: Notice, maskFor: MaskFor, at: string): Write[] {
  const template = { ...n.template, input: sealNoticeInput(n.template.input, maskFor) };
  const messages: [string, unknown][] = [[n.key, { kind: 'mail', to: n.to, cc: n.cc ?? [], template }]];
  (n.agency?.robots ?? []).forEach((robot, i) => {
    messages.push([`${n.key}:robot:${i}`, { kind: 'robot', robot, template }]);
  });
  return messages.map(([key, message]): Write => ({
    kind: 'insert', table: 'outbox', onConflict: { columns: ['key'] },
    row: {
      id: `ob_${crypto.randomUUID()}`, key, channel: (message as { kind: string }).kind, lead_id: n.leadId,
      agency: n.agency?.code ?? null, message: JSON.stringify(message), status: 'pending', attempts: 0,
      next_attempt_at: at, first_attempt_at: null, last_error: null, claim: null, claimed_until: null,
      created_at: at, sent_at: null,
    },
  }));
}

/** A 交办通知 to every agency that got a new assignment between `before` and `after`. */
export function assignmentNotices(dir: Directory, before: LeadState, after: LeadState, title: string): Notice[] {
  const known = new Set(before.assignments.map((x) => x.id));
  const out: Notice[] = [];
  for (const x of after.assignments.filter((y) => !known.has(y.id))) {
    const agency = agencyOrPlaceholder(dir, x.agency);
    const input = {
      leadId: after.id, title, agencyName: agency.name, role: x.role, priority: after.priority,
      ackDueAt: x.ackDueAt, dueAt: x.dueAt, calendarProvisional: x.calendarProvisional,
    };
    out.push({ key: `assign:${x.id}`, leadId: after.id, agency, to: [agency.email], template: { name: 'assignment', input } });
    if (x.calendarProvisional) {
      // Once a year: the bureau must enter that year's published arrangement (API.md §5).
      const year = Number(x.dueAt.slice(0, 4));
      out.push({
        key: `calendar-provisional:${year}`, leadId: after.id, agency: null, to: [dir.bureauEmail],
        template: { name: 'provisional-calendar', input: { leadId: after.id, title, agencyName: agency.name, year, dueAt: x.dueAt } },
      });
    }
  }
  return out;
}
