import type { SnowgateEvent } from './to-cloud-event';

/** What a Cloud Elements notification says about the instance and its resources, besides the event. */
export interface CloudElementsContext {
  instanceId: string;
  instanceName: string;
  instanceTags: readonly string[];
  /** `servicenow` or `servicenowoauth`. */
  elementKey: string;
  /** The hub key sent in each event (`helpdesk`). */
  hubKey: string;
  /** The resource name a table's records are reported as (`accounts`), and the field that is their objectId. */
  resourceOf(table: string): { objectType: string; idField: string };
}

const EVENT_TYPES: Record<string, 'CREATED' | 'UPDATED' | 'DELETED'> = { created: 'CREATED', updated: 'UPDATED', deleted: 'DELETED' };
const ACTIONS = { CREATED: 'create', UPDATED: 'update', DELETED: 'delete' } as const;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's `Date.toString()` in UTC, as Cloud Elements wrote `createdDate`: `Mon Aug 20 15:30:07 UTC 2018`. */
export function javaDateString(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[at.getUTCDay()]} ${MONTHS[at.getUTCMonth()]} ${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} UTC ${at.getUTCFullYear()}`;
}

/** `2018-08-20T15:29:06Z`: ISO 8601 to the second, as in Cloud Elements' events. */
function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A value at a dotted path (`sys_id`, `company.value`) of a record, as text. */
function valueAt(record: Record<string, unknown>, path: string): string | undefined {
  let value: unknown = record;
  for (const part of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
}

/**
 * The body Cloud Elements POSTed for a polled change (cloud-elements-facts.md §5): the envelope `severity`,
 * `createdDate`, `topic`, `action`, `id`, `user`, and `message` with the instance, `raw` (the record under its
 * resource name, `objectType` and `pollDate` in ms) and `events` — here always one, so each change keeps its own
 * retries, order, dead letter and replay. `id` and `message.eventId` are the event id (stable across retries and
 * replays); the body depends on nothing but the event, so every attempt sends the same bytes. Cloud Elements'
 * `accountId`, `companyId` and `userId` have no counterpart and are left out.
 */
export function toCloudElementsNotification(event: SnowgateEvent, ctx: CloudElementsContext): Record<string, unknown> {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const record = (data.record && typeof data.record === 'object' ? data.record : data) as Record<string, unknown>;
  const table = typeof data.table === 'string' ? data.table : event.type.split('.').slice(-2, -1)[0];
  const { objectType, idField } = ctx.resourceOf(table);
  const eventType = EVENT_TYPES[event.type.split('.').pop() ?? ''] ?? 'UPDATED';
  const changedAt = new Date(event.time ?? Date.now());
  const received = typeof event.snowgatereceivedat === 'string' ? new Date(event.snowgatereceivedat) : changedAt;
  const pollDate = Number.isNaN(received.getTime()) ? changedAt : received;
  return {
    severity: 'medium',
    createdDate: javaDateString(pollDate),
    topic: `instance-${ctx.instanceId}-${ctx.elementKey}-events`,
    action: ACTIONS[eventType],
    id: event.id,
    user: 'snowgate',
    message: {
      elementKey: ctx.elementKey,
      eventId: event.id,
      instanceId: ctx.instanceId,
      instance_id: ctx.instanceId,
      instanceName: ctx.instanceName,
      instanceTags: [...ctx.instanceTags],
      raw: { [objectType]: [record], objectType, pollDate: pollDate.getTime() },
      events: [{
        date: isoSeconds(changedAt),
        elementKey: ctx.elementKey,
        pollDate: isoSeconds(pollDate),
        eventType,
        hubKey: ctx.hubKey,
        objectId: valueAt(record, idField) ?? event.subject ?? '',
        objectType,
      }],
    },
  };
}
