import { loadSchemaComponents, ref, RESPONSE_SCHEMAS, type JsonSchema } from './openapi-schemas';
import { WRITE_SCHEMAS, WRITE_SECURITY_SCHEMES, writePaths } from './openapi-writes';
import { EVENT_LOG_SCHEMAS, eventLogPaths } from './openapi-event-log';

type Operation = Record<string, unknown>;

const ADMIN = [{ adminBearer: [] }, { adminCookie: [] }];
const WEBHOOK_AUTH = [{ webhookSignature: [] }, { instanceBearer: [] }];

function json(schema: JsonSchema, description = 'OK'): Operation {
  return { description, content: { 'application/json': { schema } } };
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request (details list the failing paths)', 401: 'Missing or wrong credentials', 404: 'Not found',
  409: 'Conflict', 413: 'Body over the limit', 415: 'Not JSON', 429: 'Rate limited (Retry-After)',
  501: 'Not available in this process', 503: 'Redis unavailable (Retry-After)',
};

/** The error shape for each status given. */
function errors(...statuses: number[]): Record<string, Operation> {
  return Object.fromEntries(statuses.map((s) => [String(s), json(ref('Error'), ERROR_TEXT[s])]));
}

function param(name: string, where: 'path' | 'query', description?: string, schema: JsonSchema = { type: 'string' }): Operation {
  return { name, in: where, required: where === 'path', schema, ...(description ? { description } : {}) };
}

const ID = param('id', 'path', 'instance id');
const SCOPE = param('scope', 'query', 'a scoped application (x_…) to generate for instead of the global scope');
const FILTER_QUERY = ['queue', 'instance', 'type', 'from', 'to', 'limit'].map((n) => param(n, 'query'));
const WEBHOOK_BODIES = ['webhook-sn_customerservice_case', 'webhook-sys_journal_field', 'webhook-sys_attachment', 'webhook-generic'];
const EVENT_DATA = ['event-case', 'event-journal-entry', 'event-attachment', 'event-deleted', 'event-record'];

function paths(): Record<string, Record<string, Operation>> {
  const admin = (op: Operation): Operation => ({ security: ADMIN, ...op, responses: { ...(op.responses as object), ...errors(401) } });
  return {
    '/webhooks/{instanceId}/{table}': {
      post: {
        tags: ['webhooks'], summary: 'A record change from a ServiceNow business rule', security: WEBHOOK_AUTH,
        parameters: [param('instanceId', 'path'), param('table', 'path', 'sn_customerservice_case, sys_journal_field, sys_attachment or an extra table of the instance'),
          ...['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => ({ name: h, in: 'header', schema: { type: 'string' } }))],
        requestBody: { required: true, content: { 'application/json': { schema: { oneOf: WEBHOOK_BODIES.map(ref) } } } },
        responses: { '202': json(ref('WebhookAccepted'), 'Accepted and durably queued'), '200': json(ref('WebhookAccepted'), 'Duplicate webhook-id'), ...errors(400, 401, 404, 413, 415, 429, 503) },
      },
    },
    '/instances': {
      get: admin({ tags: ['admin'], summary: 'List instances (secrets redacted)', responses: { '200': json({ type: 'object', properties: { instances: { type: 'array', items: ref('InstanceView') } } }) } }),
      post: admin({
        tags: ['admin'], summary: 'Create an instance', requestBody: { required: true, content: { 'application/json': { schema: ref('instance') } } },
        responses: { '201': json(ref('InstanceCreated'), 'Created'), ...errors(400, 409, 413, 415, 503) },
      }),
    },
    '/instances/{id}': {
      get: admin({ tags: ['admin'], summary: 'Read an instance (secrets redacted)', parameters: [ID], responses: { '200': json(ref('InstanceView')), ...errors(404) } }),
      patch: admin({
        tags: ['admin'], summary: 'Change an instance: merge configuration keys, null deletes a key', parameters: [ID],
        requestBody: { required: true, content: { 'application/json': { schema: ref('InstancePatch') } } },
        responses: { '200': json(ref('InstanceView')), ...errors(400, 404, 409, 415, 503) },
      }),
      delete: admin({ tags: ['admin'], summary: 'Delete an instance', parameters: [ID], responses: { '204': { description: 'Deleted' }, ...errors(404, 409, 503) } }),
    },
    '/instances/{id}/oauth/authorize': {
      get: admin({ tags: ['oauth'], summary: 'Start the OAuth authorization-code flow (state + PKCE)', parameters: [ID], responses: { '302': { description: "Redirect to ServiceNow's oauth_auth.do" }, ...errors(404) } }),
    },
    '/oauth/callback': {
      get: { tags: ['oauth'], summary: 'OAuth redirect target: stores the tokens', parameters: [param('code', 'query'), param('state', 'query')], responses: { '200': { description: 'Tokens stored' }, ...errors(400) } },
    },
    '/instances/{id}/test-connection': {
      post: admin({ tags: ['admin'], summary: 'Try the ServiceNow connection', parameters: [ID], responses: { '200': json(ref('TestConnection')), ...errors(404) } }),
    },
    '/instances/{id}/business-rules': {
      get: admin({ tags: ['business-rules'], summary: 'The generated business-rule scripts (global scope, or a scoped application with ?scope=x_…)', parameters: [ID, SCOPE], responses: { '200': json({ type: 'object' }), ...errors(400, 404) } }),
    },
    '/instances/{id}/business-rules/update-set.xml': {
      get: admin({ tags: ['business-rules'], summary: 'The same rules as an importable update set (global scope only)', parameters: [ID, SCOPE], responses: { '200': { description: 'Update set', content: { 'application/xml': { schema: { type: 'string' } } } }, ...errors(400, 404) } }),
    },
    ...writePaths({ admin, json, errors, param }),
    ...eventLogPaths({ admin, json, errors, param }),
    '/healthz': { get: { tags: ['health'], summary: 'Liveness', responses: { '200': json(ref('Health')) } } },
    '/readyz': { get: { tags: ['health'], summary: "Readiness (503 when this process cannot enqueue: a write to a partition's slot failed, or its replicas did not confirm it)", responses: { '200': json(ref('Health')), '503': json(ref('Health'), 'Not ready') } } },
    '/metrics': {
      get: admin({ tags: ['ops'], summary: 'Prometheus metrics (snowgate_*); public when SNOWGATE_METRICS_PUBLIC=true', responses: { '200': { description: 'Prometheus text', content: { 'text/plain': { schema: { type: 'string' } } } } } }),
    },
    '/openapi.json': { get: { tags: ['ops'], summary: 'This document', responses: { '200': json({ type: 'object' }) } } },
    '/ops/queues': {
      get: admin({ tags: ['ops'], summary: 'Queue dashboard (Bull Board); ?token= sets the admin cookie and redirects', parameters: [param('token', 'query')], responses: { '200': { description: 'HTML', content: { 'text/html': {} } }, '303': { description: 'Logged in; redirect without the token' } } }),
    },
    '/ops/api/queues': { get: admin({ tags: ['ops'], summary: 'Job counts per queue and state', responses: { '200': json(ref('QueueCounts')), ...errors(503) } }) },
    '/ops/api/failed': { get: admin({ tags: ['ops'], summary: 'Failed jobs', parameters: FILTER_QUERY, responses: { '200': json({ type: 'object', properties: { jobs: { type: 'array', items: { type: 'object' } } } }), ...errors(400, 404) } }) },
    '/ops/api/failed/retry': {
      post: admin({ tags: ['ops'], summary: 'Retry failed jobs in bulk (by queue, instance, type, time range)', requestBody: { content: { 'application/json': { schema: ref('OpsFilter') } } }, responses: { '200': json({ type: 'object', properties: { retried: { type: 'integer' } } }), ...errors(400, 404) } }),
    },
    '/ops/api/failed/{queue}/{jobId}/retry': {
      post: admin({ tags: ['ops'], summary: 'Retry one failed job', parameters: [param('queue', 'path'), param('jobId', 'path')], responses: { '200': json({ type: 'object' }), ...errors(404, 409) } }),
    },
    '/ops/api/dead-letters': { get: admin({ tags: ['ops'], summary: 'Dead-lettered events', parameters: FILTER_QUERY, responses: { '200': json({ type: 'object', properties: { events: { type: 'array', items: { type: 'object' } } } }), ...errors(400, 501) } }) },
    '/ops/api/dead-letters/replay': {
      post: admin({ tags: ['ops'], summary: 'Replay dead-lettered events in bulk (by instance, type, time range)', requestBody: { content: { 'application/json': { schema: ref('OpsFilter') } } }, responses: { '200': json({ type: 'object', properties: { replayed: { type: 'integer' } } }), ...errors(400, 501) } }),
    },
    '/ops/api/dead-letters/{eventId}/replay': {
      post: admin({ tags: ['ops'], summary: 'Replay one event (same CloudEvent id, new delivery job)', parameters: [param('eventId', 'path')], responses: { '200': json({ type: 'object' }), ...errors(404, 409, 501) } }),
    },
    '/ops/api/subscribers': {
      get: admin({ tags: ['ops'], summary: "Each subscriber's circuit breaker: state (closed, open, half_open), consecutive failures, held events, next probe", responses: { '200': json({ type: 'object', properties: { subscribers: { type: 'array', items: ref('SubscriberBreaker') } } }), ...errors(501) } }),
    },
    '/ops/api/subscribers/{instanceId}/reset': {
      post: admin({ tags: ['ops'], summary: "Close a subscriber's breaker now and release its held events", parameters: [param('instanceId', 'path')], responses: { '200': json({ type: 'object', properties: { instanceId: { type: 'string' }, released: { type: 'integer' } } }), ...errors(404, 501) } }),
    },
  };
}

/** The events delivered to subscribers, as OpenAPI 3.1 `webhooks` (outgoing calls). */
function outgoing(schemas: Record<string, JsonSchema>): Record<string, Operation> {
  const data = EVENT_DATA.filter((name) => name in schemas).map(ref);
  const event = { type: 'object', required: ['specversion', 'id', 'type', 'source', 'subject', 'time', 'data'], properties: { specversion: { const: '1.0' }, id: { type: 'string' }, type: { type: 'string' }, source: { type: 'string' }, subject: { type: 'string' }, time: { type: 'string', format: 'date-time' }, data: data.length ? { oneOf: data } : { type: 'object' } } };
  return {
    cloudEvent: {
      post: {
        summary: 'One CloudEvent per change, signed with Standard Webhooks headers, to event.notification.callback.url',
        requestBody: { content: { 'application/cloudevents+json': { schema: event } } },
        responses: { '200': { description: 'Any 2xx: delivered' } },
      },
    },
  };
}

/** The OpenAPI 3.1 document of snowgate's HTTP interface, request bodies taken from the files of schemas/. */
export function buildOpenApiDocument(options: { version?: string; publicUrl?: string } = {}): Record<string, unknown> {
  const fileSchemas = loadSchemaComponents();
  return {
    openapi: '3.1.0',
    info: { title: 'snowgate', version: options.version ?? '0.0.0', description: 'ServiceNow webhook ingestion gateway, and writes into ServiceNow' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    ...(options.publicUrl ? { servers: [{ url: options.publicUrl }] } : {}),
    paths: paths(),
    webhooks: outgoing(fileSchemas),
    components: {
      schemas: { ...fileSchemas, ...RESPONSE_SCHEMAS, ...WRITE_SCHEMAS, ...EVENT_LOG_SCHEMAS },
      securitySchemes: {
        adminBearer: { type: 'http', scheme: 'bearer', description: 'SNOWGATE_ADMIN_TOKEN' },
        adminCookie: { type: 'apiKey', in: 'cookie', name: 'snowgate_admin', description: 'set by /ops/queues?token= or /ops/events?token=' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: 'Standard Webhooks v1 HMAC-SHA256 with webhook-id and webhook-timestamp' },
        instanceBearer: { type: 'http', scheme: 'bearer', description: "the instance's webhook.bearer_token, for instances that cannot sign" },
        ...WRITE_SECURITY_SCHEMES,
      },
    },
  };
}
