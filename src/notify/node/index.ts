// The Node implementations of the mailer port (../mail.ts): SMTP through nodemailer when SMTP_URL
// is set, else .eml files. Only src/runtime imports this folder; the Workers build
// never does, so src/notify stays free of nodemailer and node:*.
import { DEFAULT_MAIL_DIR, fileMailer } from './eml.ts';
import { smtpMailer, type SmtpTimeouts } from './smtp.ts';
import type { MailerOptions, NamedMailer } from '../mail.ts';

export { DEFAULT_MAIL_DIR, fileMailer } from './eml.ts';
export { DEFAULT_SMTP_TIMEOUTS, smtpMailer, type SmtpTimeouts } from './smtp.ts';

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
