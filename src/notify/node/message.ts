// An OutgoingMail as nodemailer's message options, shared by the SMTP and .eml mailers.
import type { SendMailOptions } from 'nodemailer';
import { MailSendError, type OutgoingMail } from '../mail.ts';

export function fromField(from: string, name: string | undefined): SendMailOptions['from'] {
  if (/[<>]/.test(from) || !name) return from;
  return { name, address: from.trim() };
}

export function toOptions(msg: OutgoingMail, from: SendMailOptions['from']): SendMailOptions {
  if (msg.to.length === 0) throw new MailSendError('no recipients', { code: 'EENVELOPE', command: 'API' });
  const headers: Record<string, string> = {
    // RFC 3834: no out-of-office replies and no auto-forward loops for machine mail.
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
  };
  let messageId: string | undefined;
  for (const [k, v] of Object.entries(msg.headers ?? {})) {
    if (k.toLowerCase() === 'message-id') {
      const id = v.trim();
      messageId = id.startsWith('<') ? id : `<${id}>`;
    } else {
      headers[k] = v;
    }
  }
  const opts: SendMailOptions = {
    from,
    to: msg.to,
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    headers,
  };
  if (msg.cc && msg.cc.length > 0) opts.cc = msg.cc;
  if (messageId) opts.messageId = messageId;
  if (msg.date) opts.date = msg.date;
  return opts;
}

export function asStrings(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((a) => (typeof a === 'string' ? a : String((a as { address?: unknown })?.address ?? a)));
}
