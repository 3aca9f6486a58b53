// The mailers against a real SMTP server (test/helpers/smtpSink.ts) and a real directory.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtpSink.ts';
import {
  DEFAULT_FROM_NAME, MailSendError, isPermanentMailError, mailIdentityHeaders, redactUrl, type OutgoingMail,
} from '../mail.ts';
import { createMailer, fileMailer, smtpMailer } from './index.ts';

const FROM = 'xiansuo@example.gov.cn';

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
}

function sample(over: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: ['urban@example.gov.cn', 'urban-2@example.gov.cn'],
    cc: ['jiandu@example.gov.cn'],
    subject: '【预警】XS-2026-000123 梅湾街道夜市占道经营 整改反馈将于 3月12日到期',
    text: '区城市管理和综合执法局：\n你单位承办的问题线索 XS-2026-000123 整改反馈将于 2026年3月12日 23:59 到期。\nhttps://xiansuo.example.gov.cn/leads/XS-2026-000123\n',
    html: '<p>区城市管理和综合执法局：</p><p>整改反馈将于 <b>2026年3月12日 23:59</b> 到期。</p>'
      + '<p><a href="https://xiansuo.example.gov.cn/leads/XS-2026-000123">查看与办理</a></p>',
    headers: mailIdentityHeaders(42, 'asg-7:feedback:warning', FROM),
    date: new Date('2026-03-10T00:00:00.000Z'),
    ...over,
  };
}

async function expectRejection(p: Promise<unknown>): Promise<MailSendError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MailSendError);
  return err as MailSendError;
}

describe('smtpMailer', () => {
  let sink: SmtpSink;
  beforeEach(async () => { sink = await startSmtpSink(); });
  afterEach(async () => { await sink.stop(); });

  it('delivers Chinese subject and body, recipients, cc and the identity headers intact', async () => {
    const mailer = smtpMailer(sink.url, FROM);
    const msg = sample();
    const result = await mailer.send(msg);

    expect(sink.messages).toHaveLength(1);
    const got = sink.messages[0]!;
    expect(got.from).toBe(FROM);
    expect(got.to.sort()).toEqual(['jiandu@example.gov.cn', 'urban-2@example.gov.cn', 'urban@example.gov.cn']);
    const p = got.parsed;
    expect(p.subject).toBe(msg.subject);
    expect(p.text).toContain('你单位承办的问题线索 XS-2026-000123 整改反馈将于 2026年3月12日 23:59 到期。');
    expect(p.html).toContain('<b>2026年3月12日 23:59</b>');
    expect(p.html).toContain('https://xiansuo.example.gov.cn/leads/XS-2026-000123');
    expect(addresses(p.to)).toEqual(['urban@example.gov.cn', 'urban-2@example.gov.cn']);
    expect(addresses(p.cc)).toEqual(['jiandu@example.gov.cn']);
    expect(p.from?.value[0]).toMatchObject({ address: FROM, name: DEFAULT_FROM_NAME });
    expect(p.messageId).toBe('<xiansuo.outbox.42@example.gov.cn>');
    expect(result.messageId).toBe('<xiansuo.outbox.42@example.gov.cn>');
    expect(p.headers.get('x-xiansuo-key')).toBe('asg-7:feedback:warning');
    expect(p.headers.get('auto-submitted')).toBe('auto-generated');
    expect(p.date?.toISOString()).toBe('2026-03-10T00:00:00.000Z');
    // Nothing but ASCII on the wire: the Chinese went through MIME encoding.
    expect(/^[\x00-\x7f]*$/.test(got.raw.toString('latin1'))).toBe(true);
  });

  it('sends a retried outbox message with the same Message-ID', async () => {
    const mailer = smtpMailer(sink.url, FROM);
    await mailer.send(sample());
    await mailer.send(sample());
    const [a, b] = await sink.waitFor(2);
    expect(a!.parsed.messageId).toBe(b!.parsed.messageId);
  });

  it('uses MAIL_FROM as it is when it already carries a display name', async () => {
    await smtpMailer(sink.url, '监督科 <jiandu@example.gov.cn>').send(sample({ headers: {} }));
    expect(sink.messages[0]!.parsed.from?.value[0]).toMatchObject({ address: 'jiandu@example.gov.cn', name: '监督科' });
    expect(sink.messages[0]!.parsed.messageId).toMatch(/^<.+@.+>$/);
  });

  it('a 550 for the only recipient is permanent', async () => {
    sink.rejectRecipient('gone@example.gov.cn', 550);
    const err = await expectRejection(smtpMailer(sink.url, FROM).send(sample({ to: ['gone@example.gov.cn'], cc: [] })));
    expect(err.permanent).toBe(true);
    expect(err.responseCode).toBe(550);
    expect(isPermanentMailError(err)).toBe(true);
    expect(sink.messages).toHaveLength(0);
  });

  it('a 550 for one of two recipients delivers to the other and reports the refused one', async () => {
    sink.rejectRecipient('gone@example.gov.cn', 550);
    const result = await smtpMailer(sink.url, FROM).send(sample({ to: ['gone@example.gov.cn', 'urban@example.gov.cn'], cc: [] }));
    expect(result.rejected).toEqual(['gone@example.gov.cn']);
    expect(sink.messages[0]!.to).toEqual(['urban@example.gov.cn']);
  });

  it('a 452 for a recipient is transient', async () => {
    sink.rejectRecipient('full@example.gov.cn', 452);
    const err = await expectRejection(smtpMailer(sink.url, FROM).send(sample({ to: ['full@example.gov.cn'], cc: [] })));
    expect(err.responseCode).toBe(452);
    expect(isPermanentMailError(err)).toBe(false);
  });

  it('SMTP answering 451 for a while: transient failures, then the mail arrives once it is back', async () => {
    const mailer = smtpMailer(sink.url, FROM);
    sink.setDown(true);
    for (let i = 0; i < 2; i++) {
      const err = await expectRejection(mailer.send(sample()));
      expect(err.responseCode).toBe(451);
      expect(isPermanentMailError(err)).toBe(false);
    }
    expect(sink.messages).toHaveLength(0);
    expect(sink.refusals.every((r) => r.code === 451)).toBe(true);
    sink.setDown(false);
    await mailer.send(sample());
    expect((await sink.waitFor(1))[0]!.parsed.subject).toBe(sample().subject);
  });

  it('a 421 greeting (server closing the channel) is transient', async () => {
    sink.setDown(true, 'connect-421');
    const err = await expectRejection(smtpMailer(sink.url, FROM).send(sample()));
    expect(isPermanentMailError(err)).toBe(false);
    expect(sink.refusals).toEqual([{ command: 'CONNECT', code: 421 }]);
  });

  it('connection refused while the server is gone is transient; mail goes through once it listens again', async () => {
    const port = sink.port;
    const mailer = smtpMailer(sink.url, FROM);
    await sink.stop();
    const err = await expectRejection(mailer.send(sample()));
    expect(isPermanentMailError(err)).toBe(false);
    expect(err.message).toMatch(/ECONNREFUSED|connect/i);

    sink = await startSmtpSink({ port });
    expect(sink.port).toBe(port);
    await mailer.send(sample());
    expect(await sink.waitFor(1)).toHaveLength(1);
  });

  it('a server that never greets times out (transient)', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, FROM, { greetingTimeout: 200, connectionTimeout: 200, socketTimeout: 500 });
      const started = Date.now();
      const err = await expectRejection(mailer.send(sample()));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err.code).toBe('ETIMEDOUT');
      expect(isPermanentMailError(err)).toBe(false);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('refuses a message without recipients as permanent, before connecting', async () => {
    const err = await expectRejection(smtpMailer(sink.url, FROM).send(sample({ to: [], cc: [] })));
    expect(err.permanent).toBe(true);
    expect(sink.messages).toHaveLength(0);
  });

  it('checks the URL and never shows credentials', () => {
    expect(() => smtpMailer('not a url', FROM)).toThrow(/not a URL/);
    expect(() => smtpMailer('http://127.0.0.1:25', FROM)).toThrow(/smtp:\/\/ or smtps:\/\//);
    const m = smtpMailer('smtps://user:s3cret@mail.example.gov.cn:465', FROM);
    expect(m.description).not.toContain('s3cret');
    expect(redactUrl('smtp://a:b@h:25/?pool=true')).toBe('smtp://***@h:25/');
  });
});

describe('fileMailer', () => {
  let dir: string;
  beforeEach(async () => { dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'xiansuo-mail-')), 'data', 'mail'); });
  afterEach(async () => { await rm(path.dirname(path.dirname(dir)), { recursive: true, force: true }); });

  it('writes a parsable RFC 822 .eml file, creating the directory', async () => {
    const mailer = fileMailer(dir, FROM);
    const result = await mailer.send(sample());
    const files = await readdir(dir);
    expect(files).toEqual(['2026-03-10T00-00-00-000Z-xiansuo.outbox.42-example.gov.cn.eml']);
    const raw = await readFile(path.join(dir, files[0]!));
    expect(raw.toString('latin1')).toContain('\r\n');
    expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/);
    const p = await simpleParser(raw);
    expect(p.subject).toBe(sample().subject);
    expect(p.text).toContain('整改反馈将于 2026年3月12日 23:59 到期');
    expect(p.html).toContain('查看与办理');
    expect(addresses(p.to)).toEqual(['urban@example.gov.cn', 'urban-2@example.gov.cn']);
    expect(addresses(p.cc)).toEqual(['jiandu@example.gov.cn']);
    expect(p.messageId).toBe(result.messageId);
    expect(p.headers.get('x-xiansuo-key')).toBe('asg-7:feedback:warning');
  });

  it('names files by the clock when the mail has no date, and keeps every send', async () => {
    const mailer = fileMailer(dir, FROM, { now: () => new Date('2026-03-12T00:30:00.000Z') });
    await mailer.send(sample({ date: undefined, headers: {} }));
    await mailer.send(sample({ date: undefined, headers: {} }));
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    for (const f of files) expect(f).toMatch(/^2026-03-12T00-30-00-000Z-.+\.eml$/);
  });

  it('a directory that cannot be created is a transient failure', async () => {
    const blocker = path.join(path.dirname(dir), 'file');
    await mkdir(path.dirname(blocker), { recursive: true });
    await writeFile(blocker, 'x'); // a file where the mail directory's parent should be
    const err = await expectRejection(fileMailer(path.join(blocker, 'mail'), FROM).send(sample()));
    expect(isPermanentMailError(err)).toBe(false);
  });
});

describe('createMailer', () => {
  it('picks SMTP when SMTP_URL is set, files otherwise', () => {
    expect(createMailer({ smtpUrl: 'smtp://127.0.0.1:2525', from: FROM }).description).toBe('SMTP smtp://127.0.0.1:2525');
    expect(createMailer({ from: FROM, mailDir: '/tmp/x-mail' }).description).toBe('.eml files in /tmp/x-mail');
    expect(createMailer({ smtpUrl: '  ', from: FROM }).description).toMatch(/^\.eml files in .*data\/mail$/);
  });
});

describe('isPermanentMailError', () => {
  it('reads SMTP reply classes and nodemailer codes', () => {
    expect(isPermanentMailError({ code: 'EENVELOPE', responseCode: 550 })).toBe(true);
    expect(isPermanentMailError({ code: 'EMESSAGE', responseCode: 552 })).toBe(true);
    expect(isPermanentMailError({ code: 'EPROTOCOL', responseCode: 503 })).toBe(false);
    expect(isPermanentMailError({ code: 'EENVELOPE', responseCode: 451 })).toBe(false);
    expect(isPermanentMailError({ code: 'EENVELOPE', responseCode: 550, rejectedErrors: [{ responseCode: 550 }, { responseCode: 450 }] })).toBe(false);
    expect(isPermanentMailError({ code: 'EENVELOPE', command: 'API' })).toBe(true);
    expect(isPermanentMailError({ code: 'EAUTH', responseCode: 535 })).toBe(false);
    expect(isPermanentMailError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' })).toBe(false);
    expect(isPermanentMailError({ code: 'ETIMEDOUT' })).toBe(false);
    expect(isPermanentMailError(new Error('boom'))).toBe(false);
    expect(isPermanentMailError(null)).toBe(false);
    expect(isPermanentMailError('550')).toBe(false);
  });

  it('builds identity headers from the outbox id and MAIL_FROM', () => {
    expect(mailIdentityHeaders('ob/7', 'k\r\nx', '监督科 <jd@example.gov.cn>')).toEqual({
      'Message-ID': '<xiansuo.outbox.ob-7@example.gov.cn>', 'X-Xiansuo-Key': 'k x',
    });
    expect(mailIdentityHeaders(1, 'k', 'xiansuo@localhost')['Message-ID']).toBe('<xiansuo.outbox.1@localhost>');
  });
});
