import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Signs Standard Webhooks messages with node:crypto: `v1,<base64 HMAC-SHA256 of "{id}.{unix seconds}.{body}">`
 * under the base64 part of a `whsec_…` secret — byte for byte what `standardwebhooks`' `Webhook.sign` gives,
 * but without its JavaScript SHA-256 (~6× slower; it was ~3% of a worker's CPU, signing every delivery).
 * The secret is checked by the package's own constructor, so an unusable key fails the same way.
 */
/** The HMAC key of a Standard Webhooks secret: the base64 after `whsec_` (or the whole secret without it). */
export function whsecKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** The base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under `key`: a `v1,` signature's value, to give or to check. */
export function signatureValue(key: Buffer, id: string, timestamp: string | number, body: string | Buffer): string {
  return crypto.createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

export class WebhookSigner {
  private readonly key: Buffer;

  /** Throws, as `new Webhook(secret)` does, when the secret is not usable base64 or empty. */
  constructor(secret: string) {
    new Webhook(secret); // the package's checks and error messages (strict base64, not empty)
    this.key = whsecKey(secret);
  }

  /** The `webhook-signature` header value for one message. */
  sign(id: string, at: Date, body: string): string {
    return `v1,${signatureValue(this.key, id, Math.floor(at.getTime() / 1000), body)}`;
  }
}

const signers = new Map<string, WebhookSigner>();
/** Most secrets remembered (an instance's or a subscriber's each); the oldest is forgotten first. */
const MAX_SIGNERS = 256;

/** The signer of a secret, made once (the key is decoded and checked once, not per delivery). */
export function signerFor(secret: string): WebhookSigner {
  let signer = signers.get(secret);
  if (!signer) {
    signer = new WebhookSigner(secret);
    if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value as string);
    signers.set(secret, signer);
  }
  return signer;
}
