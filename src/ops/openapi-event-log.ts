import { EVENT_STATUSES } from '../event-log/event-entry';
import { ref, type JsonSchema } from './openapi-schemas';
import type { OperationHelpers } from './openapi-writes';

const SOURCES = ['webhook', 'poll', 'backfill', 'action', 'direct', 'replay'];

/** The event log's routes: the list, one event with its timeline, replay from there, and the pages. */
export function eventLogPaths(h: OperationHelpers): Record<string, Record<string, unknown>> {
  const id = h.param('id', 'path', 'event id (the CloudEvent id) or write id');
  const html = { description: 'HTML', content: { 'text/html': {} } };
  const filters = [
    h.param('q', 'query', 'an event or write id, a sys_id or a record number (whole, any case); a journal entry is found by its case too'),
    h.param('instance', 'query'), h.param('table', 'query'),
    h.param('type', 'query', 'CloudEvent type, or write.insert / write.update'),
    h.param('status', 'query', undefined, { enum: EVENT_STATUSES }),
    h.param('kind', 'query', undefined, { enum: ['event', 'write'] }),
    h.param('from', 'query', 'received at or after (ISO 8601 or epoch ms)'), h.param('to', 'query', 'received at or before'),
    h.param('limit', 'query', 'default 50, at most 500', { type: 'integer', minimum: 1, maximum: 500 }),
    h.param('cursor', 'query', 'the `next` of the previous page'),
  ];
  return {
    '/ops/api/events': {
      get: h.admin({ tags: ['event log'], summary: 'Events and writes, newest first, filtered, paged by cursor', parameters: filters, responses: { '200': h.json(ref('EventPage')), ...h.errors(400, 501, 503) } }),
    },
    '/ops/api/events/{id}': {
      get: h.admin({ tags: ['event log'], summary: 'One event or write: its body (as delivered, or the write request with secrets redacted) and full timeline', parameters: [id], responses: { '200': h.json(ref('EventDetail')), ...h.errors(404, 501, 503) } }),
    },
    '/ops/api/events/{id}/replay': {
      post: h.admin({ tags: ['event log'], summary: 'Replay: an event is delivered again with the same CloudEvent id (from its dead letter or delivered job); a dead write runs again with the same write id', parameters: [id], responses: { '200': h.json(ref('EventReplayed')), ...h.errors(404, 409, 501, 503) } }),
    },
    '/ops/events': {
      get: h.admin({ tags: ['event log'], summary: 'The event log page: the filterable list (?token= sets the admin cookie, as for /ops/queues)', parameters: [...filters, h.param('token', 'query')], responses: { '200': html, '303': { description: 'Logged in; redirect without the token' } } }),
    },
    '/ops/events/{id}': {
      get: h.admin({ tags: ['event log'], summary: "An event's page: timeline, attempts with request and response, body, replay, copy as curl", parameters: [id], responses: { '200': html, ...h.errors(404) } }),
    },
  };
}

const SUMMARY: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'instanceId', 'type', 'status', 'attempts', 'receivedAt'],
  properties: {
    id: { type: 'string' }, kind: { enum: ['event', 'write'] }, instanceId: { type: 'string' }, table: { type: 'string' },
    sysId: { type: 'string' }, number: { type: 'string' }, type: { type: 'string' }, operation: { type: 'string' },
    source: { enum: SOURCES }, status: { enum: EVENT_STATUSES }, reason: { type: 'string', description: 'why dead-lettered, skipped or failed' },
    attempts: { type: 'integer' }, duplicates: { type: 'integer' }, writeId: { type: 'string', description: 'the write that caused this event (snowgatewrite)' },
    receivedAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
  },
};

const ENTRY: JsonSchema = {
  type: 'object',
  required: ['stage', 'at'],
  description: 'received (source, requestId), duplicate (source), enriched (ms, calls [{api, table, status, ms, records}], cache), enrichment_failed, attempt (attempt, jobId, inline, outcome, status, ms, error, retryInMs, exchange {url, requestHeaders (signature redacted), responseHeaders, responseBody (first 2 KB)}, result for writes), held, dead_lettered (reason, message), skipped (reason)',
  properties: { stage: { enum: ['received', 'duplicate', 'enriched', 'enrichment_failed', 'attempt', 'held', 'dead_lettered', 'skipped'] }, at: { type: 'integer', description: 'epoch ms' } },
};

/** Response shapes of the event log's API. */
export const EVENT_LOG_SCHEMAS: Record<string, JsonSchema> = {
  EventSummary: SUMMARY,
  EventPage: { type: 'object', required: ['events', 'next'], properties: { events: { type: 'array', items: ref('EventSummary') }, next: { type: ['string', 'null'], description: 'cursor of the next (older) page' }, scanned: { type: 'integer' } } },
  EventDetail: { allOf: [ref('EventSummary'), { type: 'object', required: ['body', 'timeline'], properties: { body: { description: 'the CloudEvent as delivered, or the write request; null before it exists' }, timeline: { type: 'array', items: ENTRY }, droppedEntries: { type: 'integer' } } }] },
  EventReplayed: { type: 'object', required: ['id', 'kind', 'jobId'], properties: { id: { type: 'string' }, kind: { enum: ['event', 'write'] }, jobId: { type: 'string' }, replayOf: { type: 'string' } } },
};
