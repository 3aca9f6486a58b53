// Notices as outbox rows of a plan: one e-mail, plus one message per group robot the agency has.
// The outbox keeps the template's name and its (small) input, sealed: mails and robot messages
// never carry a reporter's personal data (API.md §3). Rendered when delivered (src/app/deliverOutbox.ts,
// src/notify/templates.ts).
import { findAgency, type Agency, type Directory } from './directory.ts';
import type { LeadState } from './lifecycle/index.ts';
import type { Write } from './plan.ts';
import { maskText, type TextMasker } from './privacy/maskText.ts';

/** A template's name and input (src/app/outboxMessages.ts names them all; src/notify/templates.ts renders them). */
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

/** A fresh outbox row id (the application's: the domain takes it as an argument). */
export type NewId = () => string;

/** Outbox ids `ob_{uuid}` from a source of UUIDs. */
export function outboxIds(uuid: () => string): NewId {
  return () => `ob_${uuid()}`;
}

/** The outbox rows of a notice (each added unless its key is there already). */
export function noticeWrites(n: Notice, maskFor: MaskFor, at: string, newId: NewId): Write[] {
  const template = { ...n.template, input: sealNoticeInput(n.template.input, maskFor) };
  const messages: [string, unknown][] = [[n.key, { kind: 'mail', to: n.to, cc: n.cc ?? [], template }]];
  (n.agency?.robots ?? []).forEach((robot, i) => {
    messages.push([`${n.key}:robot:${i}`, { kind: 'robot', robot, template }]);
  });
  return messages.map(([key, message]): Write => ({
    kind: 'insert', table: 'outbox', onConflict: { columns: ['key'] },
    row: {
      id: newId(), key, channel: (message as { kind: string }).kind, lead_id: n.leadId,
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

// ---------------------------------------------------------------------------------------------
// Personal data: mails and robot messages go to agencies, so they never carry a reporter's
// personal data, whoever receives them (API.md §3).

/** Fields of notice inputs that hold free text (titles, summaries, the bureau's comments). */
const TEXT_FIELDS = ['title', 'summary', 'comment', 'note', 'subject'];

/**
 * The input with its free text masked: `maskFor(leadId)` masks the text of that lead (its
 * reporters' names and phones, then any phone, ID number or e-mail); by default the patterns
 * alone. Applied when a notice is queued (with the lead's reporters) and again when it is
 * rendered, so that a notice queued before this masking existed goes out masked too.
 */
export function sealNoticeInput<T>(input: T, maskFor: (leadId: string | null) => TextMasker = () => maskText): T {
  const seal = (o: Record<string, unknown>): Record<string, unknown> => {
    const mask = maskFor(typeof o.leadId === 'string' ? o.leadId : null);
    const out: Record<string, unknown> = { ...o };
    for (const k of TEXT_FIELDS) if (typeof out[k] === 'string') out[k] = mask(out[k] as string);
    if (Array.isArray(out.items)) out.items = out.items.map((i) => (i && typeof i === 'object' ? seal(i as Record<string, unknown>) : i));
    return out;
  };
  return input && typeof input === 'object' ? seal(input as Record<string, unknown>) as T : input;
}

/** Every lead id a notice input is about (itself, or the items of a digest). */
export function noticeLeadIds(input: unknown): string[] {
  if (!input || typeof input !== 'object') return [];
  const o = input as { leadId?: unknown; items?: unknown };
  const ids = typeof o.leadId === 'string' ? [o.leadId] : [];
  if (Array.isArray(o.items)) for (const i of o.items) if (typeof i?.leadId === 'string') ids.push(i.leadId);
  return [...new Set(ids)];
}
