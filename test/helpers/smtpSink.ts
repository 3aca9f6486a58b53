// A real SMTP server for tests (smtp-server on 127.0.0.1, plain text, no auth needed) that keeps
// what it receives, parsed with mailparser, together with the envelope. It can refuse mail the
// way real servers do: 451 to every RCPT TO (or 421 at connect) while "down", 550 (or any code)
// for chosen recipients. Stop it and start a new one on the same port to show a server that is
// unreachable (connection refused) for a while.
//
//   const sink = await startSmtpSink();
//   … send to sink.url …
//   const [mail] = await sink.waitFor(1);
//   mail.parsed.subject, mail.to, mail.parsed.headers.get('x-xiansuo-key')
//   await sink.stop();

import { SMTPServer } from 'smtp-server';
import type { SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO accepted), lower-cased as given. */
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  receivedAt: Date;
}

export interface Refusal {
  command: 'CONNECT' | 'RCPT TO';
  address?: string;
  code: number;
}

/** How the sink refuses while down. */
export type DownMode = 'rcpt-451' | 'connect-421';

export interface SmtpSinkOptions {
  /** Listen on this port (0 or absent: a free one). */
  port?: number;
  /** Recipients (lower case) answered with the given reply code at RCPT TO, e.g. { 'gone@x': 550 }. */
  rejectRecipients?: Record<string, number>;
  /** Start refusing. */
  down?: boolean;
  downMode?: DownMode;
}

export interface SmtpSink {
  /** 'smtp://127.0.0.1:PORT' — a nodemailer connection URL (SMTP_URL). */
  url: string;
  port: number;
  /** Every message accepted, in arrival order. */
  messages: ReceivedMail[];
  /** Every refusal the sink made (down, or a rejected recipient). */
  refusals: Refusal[];
  /** Resolves with the messages once at least `n` have arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** While down: 451 to every RCPT TO ('rcpt-451', the default) or 421 at connect ('connect-421'). */
  setDown(down: boolean, mode?: DownMode): void;
  /** Answer `code` (default 550) to RCPT TO for this address from now on. */
  rejectRecipient(address: string, code?: number): void;
  stop(): Promise<void>;
}

function replyError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const refusals: Refusal[] = [];
  const rejected = new Map<string, number>(
    Object.entries(opts.rejectRecipients ?? {}).map(([a, c]) => [a.toLowerCase(), c]),
  );
  let down = opts.down ?? false;
  let downMode: DownMode = opts.downMode ?? 'rcpt-451';
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    size: 10 * 1024 * 1024,
    onConnect(_session: SMTPServerSession, cb: (err?: Error | null) => void) {
      if (down && downMode === 'connect-421') {
        refusals.push({ command: 'CONNECT', code: 421 });
        return cb(replyError(421, 'Service not available, closing transmission channel (sink down)'));
      }
      cb();
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const addr = address.address.toLowerCase();
      if (down) {
        refusals.push({ command: 'RCPT TO', address: addr, code: 451 });
        return cb(replyError(451, 'Requested action aborted: local error in processing (sink down)'));
      }
      const code = rejected.get(addr);
      if (code !== undefined) {
        refusals.push({ command: 'RCPT TO', address: addr, code });
        return cb(replyError(code, code >= 500 ? 'Mailbox unavailable' : 'Mailbox temporarily unavailable'));
      }
      cb();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err: Error) => cb(err));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const mailFrom = session.envelope.mailFrom;
            messages.push({
              from: mailFrom ? mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              raw,
              parsed,
              receivedAt: new Date(),
            });
            for (const w of [...waiters]) w();
            // Answer 250 only once the message is stored: when send() resolves, it is here.
            cb();
          },
          (err: Error) => cb(err),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  // Errors after start (a client resetting the connection) are not the test's concern.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;

  let stopped: Promise<void> | undefined;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    refusals,
    waitFor(n, timeoutMs = 5_000) {
      if (messages.length >= n) return Promise.resolve(messages.slice());
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length >= n) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(messages.slice());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP sink: ${messages.length} of ${n} messages arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    setDown(value, mode) {
      down = value;
      if (mode) downMode = mode;
    },
    rejectRecipient(address, code = 550) {
      rejected.set(address.toLowerCase(), code);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return stopped;
    },
  };
}
