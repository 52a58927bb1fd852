import type { EventDetail, ExchangeEntry } from '../event-log/event-entry';

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The exchange of the event's latest attempt that reached the point of sending. */
function lastExchange(detail: EventDetail): ExchangeEntry | undefined {
  for (let i = detail.timeline.length - 1; i >= 0; i -= 1) {
    const entry = detail.timeline[i];
    if (entry.stage === 'attempt' && entry.exchange) return entry.exchange;
  }
  return undefined;
}

/**
 * The delivery of an event as a curl command: the latest attempt's URL and headers (the signature stays
 * redacted: the copy cannot be replayed as signed — the Replay button does that) and the body as stored.
 * Undefined for a write, or an event with no body yet.
 */
export function deliveryCurl(detail: EventDetail): string | undefined {
  if (detail.kind !== 'event' || detail.body === null || detail.body === undefined) return undefined;
  const exchange = lastExchange(detail);
  const headers = exchange?.requestHeaders ?? { 'content-type': 'application/cloudevents+json; charset=utf-8', 'webhook-id': detail.id };
  const body = typeof detail.body === 'string' ? detail.body : JSON.stringify(detail.body);
  const lines = [
    '# webhook-signature is redacted: a verifying subscriber refuses this copy (Replay sends a signed one)',
    `curl -X POST ${quote(exchange?.url ?? '<the instance\'s event.notification.callback.url>')}`,
    ...Object.entries(headers).filter(([name]) => name !== 'content-length').map(([name, value]) => `  -H ${quote(`${name}: ${value}`)}`),
    `  --data-raw ${quote(body)}`,
  ];
  return lines.join(' \\\n').replace(' \\\ncurl', '\ncurl');
}
