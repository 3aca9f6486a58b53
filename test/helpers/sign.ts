// Signs deliveries with the official `standardwebhooks` package, so our verifier is checked against it.
import { Webhook } from 'standardwebhooks';

export const SECRETS = {
  hotline: 'whsec_' + Buffer.from('hotline-test-secret-0123456789ab').toString('base64'),
  media: 'whsec_' + Buffer.from('media-test-secret-0123456789abcd').toString('base64'),
  supervisor: 'whsec_' + Buffer.from('supervisor-test-secret-01234567').toString('base64'),
} as const;

export function signedHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  const wh = new Webhook(secret);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': wh.sign(id, at, body),
  };
}
