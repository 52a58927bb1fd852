import fs from 'node:fs';
import path from 'node:path';
import { signerFor } from '../lib/webhook-signer';
import { eventJson } from './event-json';
import type { SnowgateEvent } from './to-cloud-event';

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** `snowgate/<package version>`, sent as User-Agent on every delivery. */
export const USER_AGENT = `snowgate/${readVersion()}`;

/** An outgoing delivery request: headers and the exact body that was signed. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * Serializes an event in CloudEvents structured mode (`application/cloudevents+json`) and signs it with
 * Standard Webhooks headers: `webhook-id` = the event id (the same on every retry), `webhook-timestamp` =
 * `now` in unix seconds, `webhook-signature` = `v1,<base64 HMAC-SHA256>` under `signatureKey` (`whsec_…`),
 * computed by node:crypto (see WebhookSigner; the same bytes as the `standardwebhooks` package).
 */
export function signEvent(event: SnowgateEvent, signatureKey: string, now = new Date(), userAgent = USER_AGENT): SignedRequest {
  const body = eventJson(event); // = HTTP.structured(event).body, made once per event
  const signature = signerFor(signatureKey).sign(event.id, now, body);
  return {
    body,
    headers: {
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'user-agent': userAgent,
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
  };
}
