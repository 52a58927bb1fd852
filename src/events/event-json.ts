import type { SnowgateEvent } from './to-cloud-event';

const bodies = new WeakMap<SnowgateEvent, string>();

/**
 * An event's CloudEvents JSON (structured mode: what `HTTP.structured(event).body` and `JSON.stringify(event)`
 * give), made once per event: the event log stores it and the first delivery signs and sends the same text,
 * so an enriched record is not serialized twice on the hot path. Events are frozen, so it cannot go stale.
 */
export function eventJson(event: SnowgateEvent): string {
  let body = bodies.get(event);
  if (body === undefined) {
    body = JSON.stringify(event);
    bodies.set(event, body);
  }
  return body;
}
