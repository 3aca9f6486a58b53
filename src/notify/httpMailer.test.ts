// The HTTP mail API mailer against a real local HTTP server that checks each request as Resend's
// API documents it (bearer key, JSON body, Idempotency-Key) and answers as Resend does.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPermanentMailError, mailIdentityHeaders, MailSendError, type OutgoingMail } from './mail.ts';
import { resendMailer } from './httpMailer.ts';

const FROM = 'xiansuo@example.gov.cn';
const KEY = 're_test_123';

interface Seen { method: string; path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }

let server: Server;
let url: string;
let seen: Seen[];
let answer: { status: number; body: string };
const sentKeys = new Map<string, string>();

beforeEach(async () => {
  seen = [];
  sentKeys.clear();
  answer = { status: 200, body: '' };
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> };
      seen.push(s);
      if (req.headers.authorization !== `Bearer ${KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"statusCode":401,"name":"missing_api_key","message":"Missing API key"}');
        return;
      }
      if (answer.status !== 200) {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
        return;
      }
      // Resend's idempotency: the same key answers the first send's id and sends nothing new.
      const k = String(req.headers['idempotency-key'] ?? '');
      const id = (k && sentKeys.get(k)) || `em-${seen.length}`;
      if (k) sentKeys.set(k, id);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/emails`;
});
afterEach(async () => { await new Promise((r) => server.close(r)); });

function sample(): OutgoingMail {
  return {
    to: ['urban@example.gov.cn'], cc: ['jiandu@example.gov.cn'],
    subject: '【预警】XS-2026-000123 整改反馈将于 3月12日到期', text: '整改反馈将于 2026年3月12日 到期。', html: '<p>整改反馈将于 <b>2026年3月12日</b> 到期。</p>',
    headers: mailIdentityHeaders(42, 'asg-7:feedback:warning', FROM),
  };
}

describe('resendMailer', () => {
  it('posts the message as Resend documents it, with the Message-ID as the idempotency key', async () => {
    const mailer = resendMailer({ apiKey: KEY, from: FROM, url });
    const r = await mailer.send(sample());
    expect(seen).toHaveLength(1);
    const s = seen[0]!;
    expect(s.method).toBe('POST');
    expect(s.path).toBe('/emails');
    expect(s.headers['content-type']).toBe('application/json');
    expect(s.headers['idempotency-key']).toBe('<xiansuo.outbox.42@example.gov.cn>');
    expect(s.body).toMatchObject({
      from: '区司法局问题线索督办平台 <xiansuo@example.gov.cn>', to: ['urban@example.gov.cn'], cc: ['jiandu@example.gov.cn'],
      subject: '【预警】XS-2026-000123 整改反馈将于 3月12日到期', html: '<p>整改反馈将于 <b>2026年3月12日</b> 到期。</p>',
    });
    expect((s.body.headers as Record<string, string>)['X-Xiansuo-Key']).toBe('asg-7:feedback:warning');
    expect(r.messageId).toBe('<xiansuo.outbox.42@example.gov.cn>');
  });

  it('a retry of the same outbox message carries the same key, so the provider sends it once', async () => {
    const mailer = resendMailer({ apiKey: KEY, from: FROM, url });
    await mailer.send(sample());
    await mailer.send(sample());
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['<xiansuo.outbox.42@example.gov.cn>', '<xiansuo.outbox.42@example.gov.cn>']);
    expect(sentKeys.size).toBe(1);
  });

  it('a refused message (422) is permanent; rate limits, server errors and a wrong key are retried', async () => {
    const mailer = resendMailer({ apiKey: KEY, from: FROM, url });
    answer = { status: 422, body: '{"statusCode":422,"name":"validation_error","message":"Invalid `to` field."}' };
    const refused = await mailer.send(sample()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MailSendError);
    expect(isPermanentMailError(refused)).toBe(true);
    expect((refused as Error).message).toContain('validation_error: Invalid `to` field.');
    for (const status of [429, 500, 503, 409]) {
      answer = { status, body: '{"message":"later"}' };
      expect(isPermanentMailError(await mailer.send(sample()).catch((e: unknown) => e))).toBe(false);
    }
    const wrongKey = await resendMailer({ apiKey: 'wrong', from: FROM, url }).send(sample()).catch((e: unknown) => e);
    expect((wrongKey as Error).message).toContain('401');
    expect(isPermanentMailError(wrongKey)).toBe(false);
  });

  it('an unreachable API is a transient error, and no recipients is a permanent one', async () => {
    await new Promise((r) => server.close(r));
    const down = await resendMailer({ apiKey: KEY, from: FROM, url }).send(sample()).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(MailSendError);
    expect(isPermanentMailError(down)).toBe(false);
    server.listen(0); // for afterEach's close
    const none = await resendMailer({ apiKey: KEY, from: FROM, url }).send({ ...sample(), to: [] }).catch((e: unknown) => e);
    expect(isPermanentMailError(none)).toBe(true);
  });
});
