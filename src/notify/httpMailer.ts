// The mailer port over an HTTP mail API, for the Workers deployment (no SMTP sockets there):
// Resend's `POST /emails` (https://resend.com/docs/api-reference/emails/send-email), fetch only.
//
// Exactly-once on the provider's side: the outbox message's Message-ID (mailIdentityHeaders) is
// sent as the `Idempotency-Key`, so a retry after a lost answer is recognised by Resend for 24
// hours and answered with the first send's id instead of sending again. Errors are classified
// like SMTP replies so the outbox's retry rules stay the same (isPermanentMailError): the message
// itself refused (400, 422) is permanent; rate limits (429), a concurrent request with the same
// key (409), server errors, timeouts and network failures are retried; credentials refused
// (401, 403) are retried too, as EAUTH is on SMTP, until an operator fixes MAIL_API_KEY or the
// outbox gives up.
import { MailSendError, type NamedMailer, type OutgoingMail } from './mail.ts';

export const RESEND_API_URL = 'https://api.resend.com/emails';
const DEFAULT_TIMEOUT_MS = 15_000;

export interface HttpMailerOptions {
  apiKey: string;
  from: string;
  /** Display name put in front of a bare `from` address. */
  fromName?: string;
  /** The endpoint (default Resend's); tests point it at a local server. */
  url?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The SMTP-like reply code the outbox's classification understands (mailer.ts). */
function replyCodeOf(status: number): number {
  if (status === 400 || status === 422) return 550; // permanent: the message or an address is unusable
  return 451; // transient: retried with back-off
}

function fromField(from: string, name: string | undefined): string {
  if (/[<>]/.test(from) || !name) return from;
  return `${name} <${from.trim()}>`;
}

export function resendMailer(opts: HttpMailerOptions): NamedMailer {
  const url = opts.url ?? RESEND_API_URL;
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const from = fromField(opts.from, opts.fromName ?? '区司法局问题线索督办平台');
  return {
    description: `HTTP mail API ${new URL(url).origin}`,
    async send(msg: OutgoingMail) {
      if (msg.to.length === 0) throw new MailSendError('no recipients', { code: 'EENVELOPE', command: 'API' });
      const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };
      let messageId: string | undefined;
      for (const [k, v] of Object.entries(msg.headers ?? {})) {
        if (k.toLowerCase() === 'message-id') messageId = v.trim().startsWith('<') ? v.trim() : `<${v.trim()}>`;
        else headers[k] = v;
      }
      if (messageId) headers['Message-ID'] = messageId;
      const body = {
        from, to: msg.to, ...(msg.cc?.length ? { cc: msg.cc } : {}),
        subject: msg.subject, text: msg.text, html: msg.html, headers,
      };
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${opts.apiKey}`,
            'content-type': 'application/json',
            ...(messageId ? { 'idempotency-key': messageId.slice(0, 256) } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
      } catch (err) {
        throw new MailSendError(`mail API unreachable: ${err instanceof Error ? err.message : String(err)}`, err);
      }
      const text = await res.text().catch(() => '');
      if (!res.ok) {
        let reason = text.slice(0, 300);
        try {
          const j = JSON.parse(text) as { message?: unknown; name?: unknown };
          if (typeof j.message === 'string') reason = `${typeof j.name === 'string' ? `${j.name}: ` : ''}${j.message}`;
        } catch { /* not JSON: the text as it came */ }
        throw new MailSendError(`mail API answered ${res.status}: ${reason}`, { responseCode: replyCodeOf(res.status) });
      }
      let id: unknown;
      try {
        id = (JSON.parse(text) as { id?: unknown }).id;
      } catch { /* an answer without an id still means accepted */ }
      return { messageId: messageId ?? `<${typeof id === 'string' ? id : 'unknown'}@resend>` };
    },
  };
}
