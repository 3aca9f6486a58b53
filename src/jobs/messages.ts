// What xiansuo tells people, turned into outbox messages: one e-mail, plus one message per group
// robot the agency has. Rendering happens once, when the decision is made.
import type { Agency, Directory } from '../domain/directory.ts';
import { findAgency } from '../domain/directory.ts';
import type { RenderedMail } from '../notify/index.ts';
import { enqueue, type OutboxMessage } from '../db/stores/outbox.ts';
import type { Tx } from '../db/write.ts';

export interface Notice {
  /** Unique: the same key is never sent twice. */
  key: string;
  leadId: string | null;
  agency: Agency | null;
  to: string[];
  cc?: string[];
  mail: RenderedMail;
}

/** Queues the notice's e-mail, and its brief to each of the agency's group robots. Returns how many were new. */
export async function queueNotice(tx: Tx, n: Notice, at: string): Promise<number> {
  const messages: [string, OutboxMessage][] = [[n.key, {
    kind: 'mail', to: n.to, cc: n.cc ?? [], subject: n.mail.subject, text: n.mail.text, html: n.mail.html,
  }]];
  (n.agency?.robots ?? []).forEach((robot, i) => {
    messages.push([`${n.key}:robot:${i}`, { kind: 'robot', robot, text: n.mail.brief, subject: n.mail.subject }]);
  });
  let added = 0;
  for (const [key, message] of messages) {
    if (await enqueue(tx, { key, leadId: n.leadId, agency: n.agency?.code ?? null, message, at })) added++;
  }
  return added;
}

export function agencyOrPlaceholder(dir: Directory, code: string): Agency {
  return findAgency(dir, code) ?? {
    code, name: code, kind: 'agency', email: dir.bureauEmail, headEmail: dir.bureauEmail,
  };
}
