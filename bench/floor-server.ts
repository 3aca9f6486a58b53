// The floor for bench/intake.ts: the least any durable webhook intake must do. Verify the Standard Webhooks signature,
// parse the JSON, insert the raw report into SQLite (WAL, synchronous=FULL), group-committed, then answer.
// Deliberately raw SQL into a table of its own (not the project's schema or stores): it is the floor a
// real intake is compared with, so it must not go through them. Every other bench uses public store
// functions (issue 13).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import SQLite from 'better-sqlite3';

const db = new SQLite(process.env.DATABASE_URL!);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table if not exists reports (id integer primary key, webhook_id text unique, payload text not null)');
const insert = db.prepare('insert into reports (webhook_id, payload) values (?, ?)');
const key = Buffer.from(process.env.WEBHOOK_SECRET_HOTLINE!.slice(6), 'base64');

let queue: { id: string; body: string; resolve(n: number): void }[] = [];
let scheduled = false;
const flush = db.transaction((items: typeof queue) => items.map((it) => Number(insert.run(it.id, it.body).lastInsertRowid)));
function enqueue(id: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    queue.push({ id, body, resolve });
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        const items = queue;
        queue = [];
        scheduled = false;
        const ids = flush(items);
        items.forEach((it, i) => it.resolve(ids[i]!));
      });
    }
  });
}

const app = new Hono();
app.post('/webhooks/:source', async (c) => {
  const body = await c.req.text();
  const id = c.req.header('webhook-id')!;
  const ts = c.req.header('webhook-timestamp')!;
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  const given = Buffer.from((c.req.header('webhook-signature') ?? '').split(',')[1] ?? '', 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.json({ title: 'bad signature' }, 401);
  const json = JSON.parse(body) as { orderNo: string };
  const n = await enqueue(id, body);
  return c.json({ reportId: `RP-2026-${n}`, leadId: `XS-2026-${n}`, duplicate: false, orderNo: json.orderNo.length }, 202);
});
app.get('/healthz', (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
