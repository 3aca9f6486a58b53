// The mailer port: what the outbox hands a mailer and what it gets back, and how a failed send
// is classified (isPermanentMailError: a 5xx refusal ends the retries at once, everything else is
// retried with back-off, backoff.ts). Portable: no node:*, no nodemailer. The implementations are
// elsewhere: src/notify/node/ (SMTP through nodemailer, .eml files) for the Node service, an HTTP
// mail API for the Workers build; each throws MailSendError with the SMTP-style reply code it got.

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

export const DEFAULT_FROM_NAME = '区司法局问题线索督办平台';

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
