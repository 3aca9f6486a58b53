// Mail over SMTP through nodemailer (SMTP_URL set).
import nodemailer from 'nodemailer';
import { DEFAULT_FROM_NAME, MailSendError, redactUrl, type MailerOptions, type NamedMailer } from '../mail.ts';
import { asStrings, fromField, toOptions } from './message.ts';

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
