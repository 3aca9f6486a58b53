// Standard Webhooks signing (https://www.standardwebhooks.com) of an outgoing callback:
// HMAC-SHA256 over "{id}.{timestamp}.{body}", keyed by the base64 part of the whsec_ secret.
import { hmacSha256 } from '../crypto.ts';

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** True for "whsec_" + base64 of at least 16 bytes. */
export function isCallbackSecret(secret: string): boolean {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  try {
    return atob(secret.slice(6)).length >= 16;
  } catch {
    return false;
  }
}

/** The three Standard Webhooks headers for one attempt (`at` in ms). */
export function signCallback(secret: string, id: string, at: number, body: string): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = String(Math.floor(at / 1000));
  const mac = hmacSha256(fromBase64(secret.slice('whsec_'.length)), new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${toBase64(mac)}` };
}
