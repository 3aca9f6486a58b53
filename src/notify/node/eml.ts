// Mail written as RFC 822 `.eml` files under ./data/mail/ (SMTP_URL unset: development,
// demonstrations, air-gapped installations).
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { DEFAULT_FROM_NAME, MailSendError, type MailerOptions, type NamedMailer } from '../mail.ts';
import { fromField, toOptions } from './message.ts';

export const DEFAULT_MAIL_DIR = './data/mail';

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
