// Runs in Node before the workerd tests (vitest.workers.config.ts): computes what the Node service
// answers, so the tests inside workerd compare the worker's answers with the real Node ones, and
// starts the local mail API the worker's mailer talks to.
//  - webhook cases: the same signed (standardwebhooks) or broken requests, answered by the Node app
//    over SQLite (test/helpers/app.ts), status and body;
//  - de-duplication: the decisions of the Node index (SQL index over SQLite) on the stream of
//    stream.ts, with precision and recall;
//  - mail: an HTTP server that checks each request as Resend's API documents it and records it.
//  - callbacks: the receiver of the Node callback tests (test/helpers/callbackReceiver.ts), which
//    verifies every request with the official `standardwebhooks` package; the worker's
//    CALLBACK_URL_HOTLINE / _MEDIA point at it, and the mail server answers what it received
//    (GET /callbacks) to the tests inside workerd.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { testApp } from '../helpers/app.ts';
import { startCallbackReceiver } from '../helpers/callbackReceiver.ts';
import { SECRETS, signedHeaders } from '../helpers/sign.ts';
import { freshDatabase } from '../helpers/dialects.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { indexRows, sqlDedupeIndex, writeIndex } from '../../src/db/stores/dedupe.ts';
import { dedupe } from '../../src/domain/dedupe/index.ts';
import { samples as hotline } from '../../webhooks/hotline.ts';
import { dedupeStream, precisionRecall, type StreamDecision } from './stream.ts';
import { CLOCK, MAIL_API_KEY, type MailRequest, type WebhookCase } from './shared.ts';

function webhookCases(): Omit<WebhookCase, 'node'>[] {
  const at = new Date(CLOCK);
  const body = JSON.stringify(hotline.valid);
  const signed = (id: string, b: string, when = at) => signedHeaders(SECRETS.hotline, id, when, b);
  const big = JSON.stringify({ ...hotline.valid, content: '很'.repeat(90_000) });
  return [
    { name: 'unknown source', path: '/webhooks/fax', headers: signed('c1', body), body },
    { name: 'not application/json', path: '/webhooks/hotline', headers: { ...signed('c2', body), 'content-type': 'text/plain' }, body },
    { name: 'body over 256 KiB', path: '/webhooks/hotline', headers: signed('c3', big), body: big },
    { name: 'no signature', path: '/webhooks/hotline', headers: { 'content-type': 'application/json', 'webhook-id': 'c4', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)) }, body },
    { name: 'wrong signature', path: '/webhooks/hotline', headers: { ...signed('c5', body), 'webhook-signature': 'v1,' + btoa('x'.repeat(32)) }, body },
    { name: 'signed with another source\'s secret', path: '/webhooks/hotline', headers: signedHeaders(SECRETS.media, 'c6', at, body), body },
    { name: 'timestamp 400 s old', path: '/webhooks/hotline', headers: signed('c7', body, new Date(at.getTime() - 400_000)), body },
    { name: 'body changed after signing', path: '/webhooks/hotline', headers: signed('c8', body), body: body.replace('张先生', '李先生') },
    { name: 'not JSON', path: '/webhooks/hotline', headers: signed('c9', '{"orderNo":'), body: '{"orderNo":' },
    { name: 'not UTF-8', path: '/webhooks/hotline', headers: signed('c10', '"\xff"'), body: '"\xff"' },
    { name: 'schema mismatch', path: '/webhooks/hotline', headers: signed('c11', '{"orderNo":7}'), body: '{"orderNo":7}' },
    { name: 'webhook-id too long', path: '/webhooks/hotline', headers: signed('x'.repeat(300), body), body },
  ];
}

async function nodeWebhookAnswers(): Promise<WebhookCase[]> {
  const t = await testApp('sqlite', { now: CLOCK });
  try {
    const out: WebhookCase[] = [];
    for (const c of webhookCases()) {
      const res = await t.app.request(c.path, { method: 'POST', headers: c.headers, body: c.body });
      out.push({ ...c, node: { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() } });
    }
    return out;
  } finally {
    await t.close();
  }
}

async function nodeDedupe(): Promise<{ decisions: StreamDecision[]; precision: number; recall: number }> {
  const database = await freshDatabase('sqlite');
  try {
    await migrateToLatest(database.db);
    const index = sqlDedupeIndex(database.reader);
    const stream = dedupeStream();
    const decisions: StreamDecision[] = [];
    for (const m of stream) {
      const { decision, write } = await dedupe(index, m.report);
      const leadOf = decision.kind === 'merge' ? decision.leadId : m.id;
      await database.db.transaction().execute((tx) => writeIndex(tx, leadOf, m.id, indexRows(write)));
      decisions.push({ id: m.id, kind: decision.kind, leadOf });
    }
    const { precision, recall } = precisionRecall(stream, decisions);
    return { decisions, precision, recall };
  } finally {
    await database.drop();
  }
}

export default async function setup(project: TestProject) {
  const rx = await startCallbackReceiver();
  const sent: MailRequest[] = [];
  const keys = new Map<string, string>();
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/sent') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sent));
      if (req.method === 'GET' && req.url === '/callbacks') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rx.received));
      if (req.method === 'DELETE' && req.url === '/sent') { sent.length = 0; keys.clear(); return void res.writeHead(204).end(); }
      if (req.method !== 'POST' || req.url !== '/emails' || req.headers['content-type'] !== 'application/json') return void res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${MAIL_API_KEY}`) return void res.writeHead(401).end('{"name":"restricted_api_key","message":"API key is invalid"}');
      const key = String(req.headers['idempotency-key'] ?? '');
      const known = key ? keys.get(key) : undefined;
      const id = known ?? `em_${sent.length + 1}`;
      if (!known) {
        if (key) keys.set(key, id);
        sent.push({ idempotencyKey: key, body: JSON.parse(raw) as MailRequest['body'] });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  project.provide('mailPort', (server.address() as AddressInfo).port);
  project.provide('callbackUrls', { hotline: rx.url('hotline'), media: rx.url('media') });
  project.provide('webhookCases', await nodeWebhookAnswers());
  project.provide('nodeDedupe', await nodeDedupe());
  return async () => {
    await new Promise((r) => server.close(r));
    await rx.close();
  };
}
