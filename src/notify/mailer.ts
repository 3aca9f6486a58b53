// The mailer port and its two implementations: SMTP through nodemailer (SMTP_URL set) and RFC 822
// `.eml` files under ./data/mail/ (SMTP_URL unset: development, demonstrations, air-gapped
// installations). The outbox calls `send` once per attempt; errors are classified with
// isPermanentMailError so that a 5xx refusal ends the retries at once and everything else is
// retried with back-off (backoff.ts).

import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';

export interface OutgoingMail {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /**
   * Extra header fields. A `Message-ID` here (any case) becomes the message's id — derive it
   * from the outbox message with mailIdentityHeaders so that a retried send is recognisable.
   */
  headers?: Record<string, string>;
  /** The Date header; the send time when absent (pass the service clock's time). */
  date?: Date;
}

export interface SendResult {
  /** The Message-ID header of the message sent, angle brackets included. */
  messageId: string;
  /** Recipients the SMTP server refused while accepting others (the message went to the rest). */
  rejected?: string[];
}

/** The port: one call per delivery attempt. */
export interface Mailer {
  send(msg: OutgoingMail): Promise<SendResult>;
}

/** An implementation, with a one-line description for the start-up log (never credentials). */
export interface NamedMailer extends Mailer {
  readonly description: string;
}

export const DEFAULT_MAIL_DIR = './data/mail';
export const DEFAULT_FROM_NAME = '区司法局问题线索督办平台';

export interface SmtpTimeouts {
  /** Establishing the TCP/TLS connection. */
  connectionTimeout?: number;
  /** Waiting for the server's 220 greeting. */
  greetingTimeout?: number;
  /** Inactivity on an open connection. */
  socketTimeout?: number;
}

export const DEFAULT_SMTP_TIMEOUTS: Required<SmtpTimeouts> = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
};

export interface MailerOptions {
  /** Display name put in front of a bare MAIL_FROM address. */
  fromName?: string;
}

/** Thrown by both mailers; `permanent` tells the outbox whether retrying can help. */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';
  readonly permanent: boolean;
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    const e = (cause ?? {}) as { code?: unknown; responseCode?: unknown };
    this.code = typeof e.code === 'string' ? e.code : undefined;
    this.responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
    this.permanent = classify(cause);
  }
}

// Errors that say the installation is misconfigured (credentials, TLS) rather than that the
// message was refused: retried, so that mail flows again once an operator fixes SMTP_URL,
// and the 72-hour give-up still ends it if nobody does.
const CONFIGURATION_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS', 'EPROXY']);
// Errors about the message itself that no retry changes.
const MESSAGE_CODES = new Set(['EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS', 'EOTP']);

function isPermanentReply(code: unknown): boolean {
  return typeof code === 'number' && code >= 500 && code < 600 && code !== 503;
}

function classify(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    code?: unknown; responseCode?: unknown; command?: unknown; rejectedErrors?: unknown;
  };
  if (typeof e.code === 'string' && CONFIGURATION_CODES.has(e.code)) return false;
  if (typeof e.code === 'string' && MESSAGE_CODES.has(e.code)) return true;
  if (typeof e.responseCode === 'number') {
    // Every recipient refused: permanent only when each refusal was (nodemailer reports a 4xx
    // one when there is any, but look at all of them to be sure).
    if (Array.isArray(e.rejectedErrors) && e.rejectedErrors.length > 0) {
      return e.rejectedErrors.every((r: { responseCode?: unknown }) => isPermanentReply(r?.responseCode));
    }
    return isPermanentReply(e.responseCode);
  }
  // No reply code: an address nodemailer itself refuses ("Invalid recipient") is permanent;
  // connection refused, DNS, timeouts, a dropped socket, a full disk are transient.
  if (e.code === 'EENVELOPE' && e.command === 'API') return true;
  return false;
}

/**
 * Whether a failed send should not be retried: the server refused the message for good (5xx
 * reply other than 503, e.g. 550 mailbox unavailable, 552 too large) or the message itself is
 * unusable (a malformed address). Connection refused, timeouts, 4xx replies (421, 450, 451,
 * 452), authentication and TLS problems are transient.
 */
export function isPermanentMailError(err: unknown): boolean {
  if (err instanceof MailSendError) return err.permanent;
  return classify(err);
}

/** The domain of an address such as 'xiansuo@example.gov.cn' or '监督科 <jd@example.gov.cn>'. */
function domainOf(from: string): string {
  const m = /@([^\s<>@]+?)>?\s*$/.exec(from.trim());
  return m?.[1] ?? 'localhost';
}

/**
 * The headers that make an outbox message recognisable on every attempt: a Message-ID derived
 * from the outbox id (a retry after a lost 250 reply carries the same id, so receiving servers
 * and people see a duplicate, not a new notice) and `X-Xiansuo-Key`, the reminder's unique key
 * ('asg-17:feedback:warning', 'digest:urban:2026-03-12' …).
 */
export function mailIdentityHeaders(outboxId: string | number, key: string, from: string): Record<string, string> {
  const local = `xiansuo.outbox.${String(outboxId).replace(/[^A-Za-z0-9._-]/g, '-')}`;
  return { 'Message-ID': `<${local}@${domainOf(from)}>`, 'X-Xiansuo-Key': key.replace(/[\r\n]+/g, ' ') };
}

function fromField(from: string, name: string | undefined): SendMailOptions['from'] {
  if (/[<>]/.test(from) || !name) return from;
  return { name, address: from.trim() };
}

function toOptions(msg: OutgoingMail, from: SendMailOptions['from']): SendMailOptions {
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

function asStrings(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((a) => (typeof a === 'string' ? a : String((a as { address?: unknown })?.address ?? a)));
}

/** The URL without its credentials, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    u.search = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Mail over SMTP. One connection per message (no pool): the outbox sends few messages, and a
 * fresh connection never hands a message to a server connection that went stale.
 * `url` is a nodemailer connection URL (smtp://host:587, smtps://user:pass@host); options in
 * its query string win over the default timeouts, `pool` in it is ignored.
 */
export function smtpMailer(url: string, from: string, opts: MailerOptions & SmtpTimeouts = {}): NamedMailer {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(`SMTP_URL is not a URL: ${redactUrl(url)}`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    throw new TypeError(`SMTP_URL must start with smtp:// or smtps://, got ${u.protocol}//`);
  }
  u.searchParams.delete('pool');
  const transport = nodemailer.createTransport({
    url: u.toString(),
    pool: false,
    connectionTimeout: opts.connectionTimeout ?? DEFAULT_SMTP_TIMEOUTS.connectionTimeout,
    greetingTimeout: opts.greetingTimeout ?? DEFAULT_SMTP_TIMEOUTS.greetingTimeout,
    socketTimeout: opts.socketTimeout ?? DEFAULT_SMTP_TIMEOUTS.socketTimeout,
  });
  const sender = fromField(from, opts.fromName ?? DEFAULT_FROM_NAME);
  return {
    description: `SMTP ${redactUrl(url)}`,
    async send(msg) {
      const options = toOptions(msg, sender);
      let info;
      try {
        info = await transport.sendMail(options);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new MailSendError(`SMTP delivery failed: ${reason}`, err);
      }
      const rejected = asStrings(info.rejected);
      return rejected.length > 0 ? { messageId: info.messageId, rejected } : { messageId: info.messageId };
    },
  };
}

/** '2026-03-12T00-30-00-000Z-xiansuo.outbox.42-localhost.eml': sorts by time, safe on any file system. */
function emlFileName(at: Date, messageId: string): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const id = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 120);
  return `${stamp}-${id || randomUUID()}.eml`;
}

/**
 * Mail written as RFC 822 files (CRLF line ends, the exact bytes an SMTP server would get) into
 * `dir`, created when missing. Each file appears whole: written under a temporary name, then
 * renamed.
 */
export function fileMailer(
  dir: string = DEFAULT_MAIL_DIR,
  from: string,
  opts: MailerOptions & { now?: () => Date } = {},
): NamedMailer & { readonly dir: string } {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const sender = fromField(from, opts.fromName ?? DEFAULT_FROM_NAME);
  const now = opts.now ?? (() => new Date());
  const absolute = path.resolve(dir);
  return {
    description: `.eml files in ${absolute}`,
    dir: absolute,
    async send(msg) {
      const options = toOptions(msg, sender);
      try {
        const info = await transport.sendMail(options);
        const raw = info.message;
        if (!Buffer.isBuffer(raw)) throw new Error('stream transport did not buffer the message');
        await mkdir(absolute, { recursive: true });
        const name = emlFileName(msg.date ?? now(), info.messageId);
        const tmp = path.join(absolute, `.${name}.${randomUUID()}.tmp`);
        await writeFile(tmp, raw);
        await rename(tmp, path.join(absolute, name));
        return { messageId: info.messageId };
      } catch (err) {
        if (err instanceof MailSendError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        throw new MailSendError(`writing the .eml file failed: ${reason}`, err);
      }
    },
  };
}

export interface CreateMailerOptions extends MailerOptions, SmtpTimeouts {
  /** SMTP_URL; blank or absent selects files. */
  smtpUrl?: string | undefined;
  /** MAIL_FROM. */
  from: string;
  /** Where .eml files go without SMTP (default ./data/mail). */
  mailDir?: string;
  /** For file names of the .eml fallback (the service clock). */
  now?: () => Date;
}

/** SMTP when SMTP_URL is set, else .eml files. */
export function createMailer(opts: CreateMailerOptions): NamedMailer {
  const { smtpUrl, from, mailDir, ...rest } = opts;
  if (smtpUrl && smtpUrl.trim() !== '') return smtpMailer(smtpUrl.trim(), from, rest);
  return fileMailer(mailDir ?? DEFAULT_MAIL_DIR, from, rest);
}
