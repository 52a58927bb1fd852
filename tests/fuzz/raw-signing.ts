import crypto from 'node:crypto';

/** The HMAC key of a `whsec_` secret. */
export const keyOf = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

/**
 * The Standard Webhooks signature over exact bytes: base64 HMAC-SHA256 of `{id}.{timestamp}.{raw body}`.
 * Works for bodies that are not UTF-8 (the helpers in tests/helpers sign strings).
 */
export function signBytes(secret: string, id: string, timestamp: string, body: Buffer): string {
  const mac = crypto.createHmac('sha256', keyOf(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest('base64');
}

/** Headers of a correctly signed JSON webhook for exact bytes. */
export function signedRawHeaders(secret: string, id: string, body: Buffer, nowSec = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(nowSec);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signBytes(secret, id, timestamp, body)}`,
  };
}
