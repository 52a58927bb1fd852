import crypto from 'node:crypto';
import { whsecKey } from '../lib/webhook-signer';
import { toCloudElementsNotification, type CloudElementsContext } from './cloud-elements-notification';
import { USER_AGENT, type SignedRequest } from './sign-event';
import type { SnowgateEvent } from './to-cloud-event';

/**
 * The HMAC key of a Cloud Elements signature: the UTF-8 bytes of `event.notification.signature.key`, as Cloud
 * Elements used it — except a `whsec_` key, which always means its base64-decoded bytes (CONTRACT §7).
 */
export function cloudElementsKey(signatureKey: string): Buffer {
  return signatureKey.startsWith('whsec_') ? whsecKey(signatureKey) : Buffer.from(signatureKey, 'utf8');
}

/** `sha256=` + base64 HMAC-SHA256 of the exact body: the `Elements-Webhook-Signature` header. */
export function cloudElementsSignature(body: string, signatureKey: string): string {
  return `sha256=${crypto.createHmac('sha256', cloudElementsKey(signatureKey)).update(body, 'utf8').digest('base64')}`;
}

/**
 * Serializes an event as Cloud Elements' notification (`application/json`) and signs it as Cloud Elements
 * did: `Elements-Webhook-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`, and `Elements-Webhook-Id`
 * = the event id, the same on every retry and replay (as `webhook-id` is for CloudEvents).
 */
export function signCloudElements(event: SnowgateEvent, signatureKey: string, ctx: CloudElementsContext, userAgent = USER_AGENT): SignedRequest {
  const body = JSON.stringify(toCloudElementsNotification(event, ctx));
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': userAgent,
      'elements-webhook-id': event.id,
      'elements-webhook-signature': cloudElementsSignature(body, signatureKey),
    },
  };
}
