// Robots against a real local HTTP server that answers the way 企业微信, 钉钉 and 飞书 do.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RobotSendError, redactRobotUrl, robotBody, robotRequest, sendRobot, truncateUtf8, type Robot } from './robots.ts';

interface Seen { method: string; url: string; contentType: string; body: unknown }

const DING_SECRET = 'SECtest-secret';
const FEISHU_SECRET = 'feishu-secret';
const NOW = Date.parse('2026-03-12T00:30:00.000Z');

let server: http.Server;
let base: string;
let seen: Seen[] = [];

function reply(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { data += c; });
    req.on('end', () => {
      const body: unknown = data ? JSON.parse(data) : undefined;
      seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      const u = new URL(req.url ?? '/', 'http://x');
      switch (u.pathname) {
        case '/cgi-bin/webhook/send': {
          const key = u.searchParams.get('key');
          if (key === 'limited') return reply(res, 200, { errcode: 45009, errmsg: 'api freq out of limit' });
          if (key !== 'good') return reply(res, 200, { errcode: 93000, errmsg: 'invalid webhook url' });
          return reply(res, 200, { errcode: 0, errmsg: 'ok' });
        }
        case '/robot/send': {
          const ts = u.searchParams.get('timestamp');
          const sign = u.searchParams.get('sign');
          if (u.searchParams.get('access_token') === 'fast') return reply(res, 200, { errcode: 130101, errmsg: 'send too fast' });
          if (ts !== null || sign !== null) {
            const want = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
            if (sign !== want) return reply(res, 200, { errcode: 310000, errmsg: 'sign not match' });
          }
          return reply(res, 200, { errcode: 0, errmsg: 'ok' });
        }
        case '/open-apis/bot/v2/hook/good': {
          const b = body as { timestamp?: string; sign?: string };
          if (b.sign !== undefined) {
            const want = createHmac('sha256', `${b.timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
            if (b.sign !== want) return reply(res, 200, { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' });
          }
          return reply(res, 200, { code: 0, msg: 'success', data: {} });
        }
        case '/open-apis/bot/v2/hook/legacy':
          return reply(res, 200, { Extra: null, StatusCode: 0, StatusMessage: 'success' });
        case '/open-apis/bot/v2/hook/bad':
          return reply(res, 400, { code: 9499, msg: 'Bad Request', data: {} });
        case '/open-apis/bot/v2/hook/limited':
          return reply(res, 400, { code: 11232, msg: 'frequency limited', data: {} });
        case '/server-error':
          return reply(res, 502, '<html>Bad Gateway</html>');
        case '/not-found':
          return reply(res, 404, '<html>Not Found</html>');
        case '/portal':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<html>请先登录</html>');
        case '/redirect':
          res.writeHead(302, { location: '/cgi-bin/webhook/send?key=good' });
          return res.end();
        case '/slow':
          return; // never answers
        default:
          return reply(res, 404, { errcode: 404, errmsg: 'no such path' });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => { seen = []; });

const TEXT = '【预警】XS-2026-000123 梅湾街道夜市占道经营 整改反馈将于 3月12日到期\nhttps://xiansuo.example.gov.cn/leads/XS-2026-000123';

async function failure(p: Promise<void>): Promise<RobotSendError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RobotSendError);
  return err as RobotSendError;
}

describe('robot bodies', () => {
  it('follows each service\'s documented text message format', () => {
    expect(robotBody('wecom', '你好')).toEqual({ msgtype: 'text', text: { content: '你好' } });
    expect(robotBody('dingtalk', '你好')).toEqual({ msgtype: 'text', text: { content: '你好' } });
    expect(robotBody('feishu', '你好')).toEqual({ msg_type: 'text', content: { text: '你好' } });
  });

  it('keeps 企业微信 text within 2048 bytes without splitting a character', () => {
    const long = '督'.repeat(1000); // 3000 bytes
    const body = robotBody('wecom', long) as { text: { content: string } };
    expect(Buffer.byteLength(body.text.content, 'utf8')).toBeLessThanOrEqual(2048);
    expect(body.text.content.endsWith('…')).toBe(true);
    expect(body.text.content).not.toContain('\uFFFD');
    expect(truncateUtf8('短', 2048)).toBe('短');
  });

  it('signs 钉钉 in the query and 飞书 in the body when a secret is set', async () => {
    const d = await robotRequest({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: DING_SECRET }, 'x', NOW);
    const du = new URL(d.url);
    expect(du.searchParams.get('timestamp')).toBe(String(NOW));
    expect(du.searchParams.get('sign')).toBe(createHmac('sha256', DING_SECRET).update(`${NOW}\n${DING_SECRET}`).digest('base64'));
    const f = await robotRequest({ kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/t', secret: FEISHU_SECRET }, 'x', NOW);
    expect(f.body).toMatchObject({
      msg_type: 'text', timestamp: String(NOW / 1000),
      sign: createHmac('sha256', `${NOW / 1000}\n${FEISHU_SECRET}`).update('').digest('base64'),
    });
    expect((await robotRequest({ kind: 'wecom', url: 'https://q/x?key=k', secret: 's' }, 'x', NOW)).url).toBe('https://q/x?key=k');
  });

  it('hides keys and tokens in URLs', () => {
    expect(redactRobotUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
    expect(redactRobotUrl('https://open.feishu.cn/open-apis/bot/v2/hook/abc')).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/***');
  });
});

describe('sendRobot against a local HTTP server', () => {
  it('企业微信: posts JSON and accepts errcode 0', async () => {
    await sendRobot({ kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=good` }, TEXT);
    expect(seen).toEqual([{
      method: 'POST', url: '/cgi-bin/webhook/send?key=good', contentType: 'application/json; charset=utf-8',
      body: { msgtype: 'text', text: { content: TEXT } },
    }]);
  });

  it('企业微信: a non-zero errcode fails; a wrong key is permanent, the rate limit transient', async () => {
    const bad = await failure(sendRobot({ kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=wrong` }, TEXT));
    expect(bad).toMatchObject({ permanent: true, code: 93000, status: 200 });
    expect(bad.message).not.toContain('wrong');
    const limited = await failure(sendRobot({ kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=limited` }, TEXT));
    expect(limited).toMatchObject({ permanent: false, code: 45009 });
  });

  it('钉钉: signed request accepted; a wrong secret is refused (permanent); "send too fast" is transient', async () => {
    const now = () => NOW;
    await sendRobot({ kind: 'dingtalk', url: `${base}/robot/send?access_token=t`, secret: DING_SECRET }, TEXT, fetch, { now });
    expect(seen[0]!.body).toEqual({ msgtype: 'text', text: { content: TEXT } });
    const wrong = await failure(sendRobot({ kind: 'dingtalk', url: `${base}/robot/send?access_token=t`, secret: 'SECwrong' }, TEXT, fetch, { now }));
    expect(wrong).toMatchObject({ permanent: true, code: 310000 });
    const fast = await failure(sendRobot({ kind: 'dingtalk', url: `${base}/robot/send?access_token=fast` }, TEXT));
    expect(fast).toMatchObject({ permanent: false, code: 130101 });
  });

  it('飞书: code 0 (and the legacy StatusCode 0) succeed; signed body verified by the server', async () => {
    await sendRobot({ kind: 'feishu', url: `${base}/open-apis/bot/v2/hook/good` }, TEXT);
    await sendRobot({ kind: 'feishu', url: `${base}/open-apis/bot/v2/hook/legacy` }, TEXT);
    await sendRobot({ kind: 'feishu', url: `${base}/open-apis/bot/v2/hook/good`, secret: FEISHU_SECRET }, TEXT, fetch, { now: () => NOW });
    expect(seen[0]!.body).toEqual({ msg_type: 'text', content: { text: TEXT } });
    expect(seen[2]!.body).toMatchObject({ msg_type: 'text', content: { text: TEXT }, timestamp: String(NOW / 1000) });
    const wrong = await failure(sendRobot({ kind: 'feishu', url: `${base}/open-apis/bot/v2/hook/good`, secret: 'nope' }, TEXT));
    expect(wrong).toMatchObject({ permanent: true, code: 19021 });
  });

  it('飞书: HTTP 400 with code 9499 is permanent, with the rate-limit code 11232 transient', async () => {
    expect(await failure(sendRobot({ kind: 'feishu', url: `${base}/open-apis/bot/v2/hook/bad` }, TEXT)))
      .toMatchObject({ permanent: true, status: 400, code: 9499 });
    expect(await failure(sendRobot({ kind: 'feishu', url: `${base}/open-apis/bot/v2/hook/limited` }, TEXT)))
      .toMatchObject({ permanent: false, status: 400, code: 11232 });
  });

  it('non-2xx answers: 5xx and redirects transient, 404 permanent', async () => {
    expect(await failure(sendRobot({ kind: 'wecom', url: `${base}/server-error` }, TEXT))).toMatchObject({ permanent: false, status: 502 });
    expect(await failure(sendRobot({ kind: 'wecom', url: `${base}/not-found` }, TEXT))).toMatchObject({ permanent: true, status: 404 });
    expect(await failure(sendRobot({ kind: 'dingtalk', url: `${base}/redirect` }, TEXT))).toMatchObject({ permanent: false, status: 302 });
    expect(seen.map((s) => s.url)).not.toContain('/cgi-bin/webhook/send?key=good'); // redirect not followed
  });

  it('a 200 that is not the robot\'s JSON (a portal page) fails, transiently', async () => {
    expect(await failure(sendRobot({ kind: 'feishu', url: `${base}/portal` }, TEXT))).toMatchObject({ permanent: false, status: 200 });
  });

  it('time-outs and refused connections are transient', async () => {
    const slow = await failure(sendRobot({ kind: 'wecom', url: `${base}/slow` }, TEXT, fetch, { timeoutMs: 200 }));
    expect(slow.permanent).toBe(false);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await failure(sendRobot({ kind: 'dingtalk', url: `http://127.0.0.1:${port}/robot/send?access_token=t` }, TEXT));
    expect(refused.permanent).toBe(false);
  });

  it('a malformed robot URL is permanent and sends nothing', async () => {
    const robots: Robot[] = [{ kind: 'wecom', url: 'not a url' }, { kind: 'feishu', url: 'ftp://example.com/x' }];
    for (const r of robots) expect(await failure(sendRobot(r, TEXT))).toMatchObject({ permanent: true });
    expect(seen).toHaveLength(0);
  });
});
