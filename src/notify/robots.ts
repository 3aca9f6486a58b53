// Group robots (群机器人) by webhook: 企业微信 (wecom), 钉钉 (dingtalk), 飞书 (feishu). Plain text
// messages only (the templates' `brief`). Each service's documented request and answer:
//
//   wecom     POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
//             {"msgtype":"text","text":{"content":"…"}}    → {"errcode":0,"errmsg":"ok"}
//             content at most 2048 bytes (UTF-8); 20 messages a minute per robot (45009 beyond).
//   dingtalk  POST https://oapi.dingtalk.com/robot/send?access_token=…
//             {"msgtype":"text","text":{"content":"…"}}    → {"errcode":0,"errmsg":"ok"}
//             optional 加签: &timestamp=<ms>&sign=urlencode(base64(HmacSHA256(key=secret,
//             "<timestamp>\n<secret>"))); 20 a minute (130101 "send too fast", then throttled).
//   feishu    POST https://open.feishu.cn/open-apis/bot/v2/hook/…
//             {"msg_type":"text","content":{"text":"…"}}   → {"code":0,"msg":"success","data":{}}
//             (older answers: {"StatusCode":0,…}); optional 签名校验: body gets "timestamp"
//             (seconds) and "sign" = base64(HmacSHA256(key="<timestamp>\n<secret>", "")).
//             Body at most 20 KB; 11232 is its rate limit.
//
// A send fails on a network error, a non-2xx status, an answer that is not JSON, or a non-zero
// error code in it. RobotSendError.permanent says whether retrying can help (a bad webhook URL,
// a refused signature or keyword will not; a rate limit, a 5xx, a time-out will).
//
// Web APIs only (fetch, WebCrypto, TextEncoder): runs on Node and on Cloudflare Workers alike.

export type RobotKind = 'wecom' | 'dingtalk' | 'feishu';

/** As in the directory (Agency.robots), plus an optional signing secret (钉钉 SEC…, 飞书). */
export interface Robot {
  kind: RobotKind;
  url: string;
  secret?: string;
}

export const ROBOT_KIND_LABEL: Record<RobotKind, string> = { wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书' };

const MAX_BYTES: Record<RobotKind, number> = { wecom: 2048, dingtalk: 18_000, feishu: 18_000 };

const utf8 = new TextEncoder();
const byteLength = (s: string) => utf8.encode(s).length;

/** `text` cut to at most `maxBytes` of UTF-8 (never inside a character), '…' when cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  const budget = maxBytes - byteLength('…');
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = byteLength(ch);
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}

export type RobotBody =
  | { msgtype: 'text'; text: { content: string } }
  | { msg_type: 'text'; content: { text: string }; timestamp?: string; sign?: string };

/** The JSON body each service expects for a plain text message (unsigned). */
export function robotBody(kind: RobotKind, text: string): RobotBody {
  const content = truncateUtf8(text, MAX_BYTES[kind]);
  switch (kind) {
    case 'wecom':
    case 'dingtalk':
      return { msgtype: 'text', text: { content } };
    case 'feishu':
      return { msg_type: 'text', content: { text: content } };
  }
}

/** base64(HMAC-SHA256(key, message)). */
export async function hmacSha256Base64(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', utf8.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, utf8.encode(message)));
  let bin = '';
  for (const b of mac) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The URL and body to POST, signed when the robot has a secret. `nowMs`: the service clock. */
export async function robotRequest(robot: Robot, text: string, nowMs: number): Promise<{ url: string; body: RobotBody }> {
  const body = robotBody(robot.kind, text);
  if (!robot.secret) return { url: robot.url, body };
  if (robot.kind === 'dingtalk') {
    const timestamp = String(Math.floor(nowMs));
    const sign = await hmacSha256Base64(robot.secret, `${timestamp}\n${robot.secret}`);
    const u = new URL(robot.url);
    u.searchParams.set('timestamp', timestamp);
    u.searchParams.set('sign', sign);
    return { url: u.toString(), body };
  }
  if (robot.kind === 'feishu') {
    const timestamp = String(Math.floor(nowMs / 1000));
    const sign = await hmacSha256Base64(`${timestamp}\n${robot.secret}`, '');
    return { url: robot.url, body: { ...body, timestamp, sign } as RobotBody };
  }
  return { url: robot.url, body }; // 企业微信 robots have no signature: the key in the URL is the secret.
}

export class RobotSendError extends Error {
  override readonly name = 'RobotSendError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status?: number,
    readonly code?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Answer codes that mean "try again later": rate limits and "system busy".
const TRANSIENT_CODES: Record<RobotKind, Set<number>> = {
  wecom: new Set([-1, 45009, 45033]),
  dingtalk: new Set([-1, 130101, 90030]),
  feishu: new Set([2200, 11232, 11233]),
};

function transientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500 || (status >= 300 && status < 400);
}

/** The URL with its key/token hidden, for error messages and logs. */
export function redactRobotUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***');
    // 飞书 puts the token in the path: /open-apis/bot/v2/hook/<token>
    u.pathname = u.pathname.replace(/(\/hook\/)[^/]+/, '$1***');
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

export interface SendRobotOptions {
  /** The service clock in ms, for signatures (Date.now by default). */
  now?: () => number;
  /** Abort the request after this long (10 s by default). */
  timeoutMs?: number;
}

/** POSTs `text` to the robot; resolves on success, throws RobotSendError otherwise. */
export async function sendRobot(
  robot: Robot,
  text: string,
  fetchImpl: typeof fetch = fetch,
  opts: SendRobotOptions = {},
): Promise<void> {
  const where = `${ROBOT_KIND_LABEL[robot.kind]} robot ${redactRobotUrl(robot.url)}`;
  let u: URL;
  try {
    u = new URL(robot.url);
  } catch {
    throw new RobotSendError(`${where}: not a URL`, true);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new RobotSendError(`${where}: not an http(s) URL`, true);

  const { url, body } = await robotRequest(robot, text, (opts.now ?? Date.now)());
  let res: Response;
  let answer: string;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    answer = await res.text();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new RobotSendError(`${where}: request failed: ${reason}`, false, undefined, undefined, { cause: err });
  }

  let parsed: Record<string, unknown> | undefined;
  try {
    const v: unknown = JSON.parse(answer);
    if (v && typeof v === 'object') parsed = v as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  const rawCode = robot.kind === 'feishu' ? (parsed?.code ?? parsed?.StatusCode) : parsed?.errcode;
  const code = typeof rawCode === 'number' ? rawCode : typeof rawCode === 'string' && /^-?\d+$/.test(rawCode) ? Number(rawCode) : undefined;
  const msg = parsed ? String(parsed.errmsg ?? parsed.msg ?? parsed.StatusMessage ?? '') : answer.slice(0, 200);

  if (code !== undefined && code !== 0) {
    // 飞书 answers its errors (rate limit included) with HTTP 400 and a code: the code decides.
    const transient = TRANSIENT_CODES[robot.kind].has(code) || transientStatus(res.status);
    throw new RobotSendError(`${where}: HTTP ${res.status}, code ${code}: ${msg}`, !transient, res.status, code);
  }
  if (res.status < 200 || res.status >= 300) {
    throw new RobotSendError(`${where}: HTTP ${res.status}: ${msg}`, !transientStatus(res.status), res.status, code);
  }
  if (code === undefined) {
    // Every one of these services answers JSON with a code; a 200 without one is a proxy or a
    // captive portal, not the robot.
    throw new RobotSendError(`${where}: HTTP ${res.status} without a result code: ${answer.slice(0, 200)}`, false, res.status);
  }
}
