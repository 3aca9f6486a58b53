// A client that hangs up in the middle of its request is not an error: the real service, on a
// socket cut while the body is still arriving, writes one ordinary request line (status 499),
// no error line, no stack, and goes on serving.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.ts';
import { startServer, type ServerProcess } from './helpers/server.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { SECRETS } from './helpers/sign.ts';
import { checkedFetch as fetch } from './helpers/openapi.ts'; // every /api and /webhooks answer checked against the document

const ADMIN = 'admin-token-for-hangup-0123456789';

/** Sends the head and the start of a body, then cuts the connection once the server has read them. */
function hangUp(port: number, path: string, framing: string, start: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => {
      sock.write(`POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n`
        + `authorization: Bearer ${ADMIN}\r\n${framing}\r\n\r\n${start}`);
      setTimeout(() => { sock.destroy(); resolve(); }, 200);
    });
    sock.on('error', reject);
  });
}

describe.each(await dialects())('a client hanging up mid-request on %s', (dialect) => {
  let database: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await migrateToLatest(database.db, database.pgSchema); // as `npx xiansuo migrate` would, before the start
    server = await startServer({ DATABASE_URL: database.url, WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, XIANSUO_ADMIN_TOKEN: ADMIN },
      { pgSchema: database.pgSchema });
  }, 60_000);
  afterAll(async () => {
    await server?.kill();
    await database?.drop();
  });

  it('is logged as one request line with status 499, never as an error with a stack', async () => {
    for (const path of ['/webhooks/hotline', '/api/leads']) {
      await hangUp(server.port, path, 'content-length: 5000', '{"title":');
      await hangUp(server.port, path, 'transfer-encoding: chunked', '9\r\n{"title":\r\n');
    }
    expect((await fetch(`${server.base}/api/leads`, { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);
    // The server notices each cut socket on its own time: wait until all four are written.
    const read = () => server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (let i = 0; i < 100 && read().filter((l) => l.method === 'POST').length < 4; i++) await new Promise((r) => setTimeout(r, 100));
    const lines = read();
    const closed = lines.filter((l) => l.msg === 'request' && l.method === 'POST');
    expect(closed.map((l) => [l.path, l.status]).sort()).toEqual([
      ['/api/leads', 499], ['/api/leads', 499], ['/webhooks/hotline', 499], ['/webhooks/hotline', 499],
    ]);
    expect(lines.filter((l) => l.level === 'error' || 'stack' in l)).toEqual([]);
  });
});
