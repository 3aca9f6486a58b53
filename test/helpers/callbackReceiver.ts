// A local HTTP endpoint for callbacks (API.md §7): every request is verified with the official
// `standardwebhooks` package against the secret of the source named by the path (/hotline …);
// a request that fails verification is answered 400 and recorded as such. Each body is also
// checked against the callback schemas of the OpenAPI document (`misfit`).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { callbackMisfit } from './openapi.ts';

export interface ReceivedCallback {
  source: string;
  id: string;
  verified: boolean;
  error?: string;
  answered: number;
  /** Why the body does not fit the OpenAPI document's `webhooks` entry for its type (null: it fits). */
  misfit: string | null;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
}

export interface CallbackReceiver {
  url(source: string): string;
  received: ReceivedCallback[];
  /** Statuses to answer next for a source, in order; 204 once the list is used up. */
  answers: Record<string, number[]>;
  /** The verified callbacks a source got answered 2xx, in order. */
  delivered(source: string): ReceivedCallback[];
  close(): Promise<void>;
}

export const CALLBACK_SECRETS: Record<string, string> = {
  hotline: 'whsec_' + Buffer.from('hotline-callback-secret-0123456').toString('base64'),
  media: 'whsec_' + Buffer.from('media-callback-secret-0123456789').toString('base64'),
  supervisor: 'whsec_' + Buffer.from('supervisor-callback-secret-0123').toString('base64'),
};

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const answers: Record<string, number[]> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const source = (req.url ?? '/').slice(1);
      const text = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let verified = false;
      let error: string | undefined;
      try {
        new Webhook(CALLBACK_SECRETS[source]!).verify(text, headers);
        verified = true;
      } catch (err) {
        error = String((err as Error).message);
      }
      const answered = verified ? (answers[source]?.shift() ?? 204) : 400;
      const body = JSON.parse(text);
      received.push({ source, id: headers['webhook-id'] ?? '', verified, error, answered, misfit: callbackMisfit(body), body });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (source) => `http://127.0.0.1:${port}/${source}`,
    received, answers,
    delivered: (source) => received.filter((r) => r.source === source && r.verified && r.answered < 300),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The environment that points a test app's callbacks at the receiver. */
export function callbackEnv(receiver: CallbackReceiver, sources: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of sources) {
    env[`CALLBACK_URL_${s.toUpperCase()}`] = receiver.url(s);
    env[`CALLBACK_SECRET_${s.toUpperCase()}`] = CALLBACK_SECRETS[s]!;
  }
  return env;
}
