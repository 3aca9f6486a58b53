#!/usr/bin/env node
// Signs a JSON file with the official `standardwebhooks` package and POSTs it to
// {base}/webhooks/{source}; prints the answer's body and status. The secret is WEBHOOK_SECRET.
//   WEBHOOK_SECRET=whsec_… node scripts/sign-webhook.mjs hotline examples/hotline.json http://localhost:8787
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const [source, file, base = 'http://localhost:8787'] = process.argv.slice(2);
const secret = process.env.WEBHOOK_SECRET;
if (!source || !file || !secret) {
  console.error('用法：WEBHOOK_SECRET=whsec_… node scripts/sign-webhook.mjs <来源> <文件.json> [地址]');
  process.exit(2);
}
const body = readFileSync(file, 'utf8');
const id = process.env.WEBHOOK_ID ?? `msg_${randomUUID()}`;
const at = new Date();
const res = await fetch(`${base}/webhooks/${source}`, {
  method: 'POST', body,
  headers: {
    'content-type': 'application/json', 'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  },
});
console.log(`${await res.text()}  HTTP ${res.status}`);
