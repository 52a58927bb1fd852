import { CloudEvent } from 'cloudevents';
import type { Instance } from '../instances/instance';
import type { ChangeJob } from '../queues/change-job';
import { eventTypeOf } from './event-type';
import { glideToRfc3339 } from './glide-time';
import { isMutableTable } from '../enrichment/change-enricher';

/** The data of a snowgate CloudEvent: the enriched record, a JSON object. */
export type EventData = Record<string, unknown>;

/**
 * A normalized snowgate event. Extensions: `snowgateinstance` (instance id), `snowgatesource` (webhook | poll |
 * backfill), `snowgatereceivedat` (when snowgate got the change), and `snowgatewrite` (the write id) on a change
 * snowgate itself wrote.
 */
export type SnowgateEvent = CloudEvent<EventData>;

/**
 * Normalizes one enriched change into a CloudEvents 1.0 event (CONTRACT §4): `id` = the change's event id
 * (also the outgoing `webhook-id`), `type` from {@link eventTypeOf}, `source` = `{instance_url}/{table}`,
 * `subject` = sys_id, `time` = sys_updated_on as RFC 3339 UTC (the accept time when ServiceNow's value
 * is unusable), `datacontenttype` = application/json, `data` = the enriched record as given.
 */
export function toCloudEvent(change: ChangeJob, instance: Instance, data: object, writeId?: string): SnowgateEvent {
  // built unchecked (strict = false): the SDK's per-event schema validation and extension-name checks cost the
  // hot path and cannot fail for what is built here (fixed lowercase names, string values, a valid RFC 3339
  // time); tests/events/normalization.test.ts validates events of every kind with the SDK
  return new CloudEvent<EventData>({
    specversion: '1.0',
    id: change.eventId,
    type: eventTypeOf(change),
    source: `${instance.instanceUrl}/${change.table}`,
    subject: change.sysId,
    time: glideToRfc3339(change.sysUpdatedOn) ?? new Date(change.receivedAt).toISOString(),
    datacontenttype: 'application/json',
    data: data as EventData,
    snowgateinstance: instance.id,
    snowgatesource: change.source,
    snowgatereceivedat: new Date(change.receivedAt).toISOString(),
    ...(writeId ? { snowgatewrite: writeId } : {}),
    // CloudEvents "sequence" extension: the change's place among its record's changes (zero-padded so it sorts as text)
    ...(isMutableTable(change.table) ? { sequence: sequenceOf(change) } : {}),
  }, false);
}

/** `sys_mod_count` zero-padded to 10 digits; a delete comes right after the version it deleted. */
export function sequenceOf(change: Pick<ChangeJob, 'sysModCount' | 'operation'>): string {
  return change.sysModCount.padStart(10, '0') + (change.operation === 'delete' ? '.5' : '');
}

/** Rebuilds an event from its JSON form (as stored in a job), without re-validating what was valid when made. */
export function eventFromJson(json: Record<string, unknown>): SnowgateEvent {
  return new CloudEvent<EventData>(json as Partial<SnowgateEvent>, false);
}
