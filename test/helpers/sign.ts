// Signs deliveries with the official `standardwebhooks` package, so our verifier is checked against it.
import { Webhook } from 'standardwebhooks';

export const SECRETS = {
  hotline: 'whsec_' + Buffer.from('hotline-test-secret-0123456789ab').toString('base64'),
  media: 'whsec_' + Buffer.from('media-test-secret-0123456789abcd').toString('base64'),
  supervisor: 'whsec_' + Buffer.from('supervisor-test-secret-01234567').toString('base64'),
} as const;

/** The sources switched on with the test secrets, and a rate limit no test reaches (Node and workerd alike). */
export const SOURCE_TEST_ENV = {
  WEBHOOK_SECRET_HOTLINE: SECRETS.hotline,
  WEBHOOK_SECRET_MEDIA: SECRETS.media,
  WEBHOOK_SECRET_SUPERVISOR: SECRETS.supervisor,
  WEBHOOK_RATE_PER_MINUTE: '1000000',
  WEBHOOK_RATE_BURST: '100000',
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
