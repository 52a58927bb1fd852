import { ref, type JsonSchema } from './openapi-schemas';

type Operation = Record<string, unknown>;

/** How the document's builder describes responses and parameters, handed over so both files describe them alike. */
export interface OperationHelpers {
  admin(op: Operation): Operation;
  json(schema: JsonSchema, description?: string): Operation;
  errors(...statuses: number[]): Record<string, Operation>;
  param(name: string, where: 'path' | 'query', description?: string, schema?: JsonSchema): Operation;
}

const ACTION_AUTH = [{ actionBearer: [] }, { actionSignature: [] }];
const WRITER = [{ adminBearer: [] }, { writesBearer: [] }];

/** The write direction's routes: the action door, the action test, direct writes, their status and replay. */
export function writePaths(h: OperationHelpers): Record<string, Record<string, Operation>> {
  const id = h.param('id', 'path', 'instance id');
  const writeId = h.param('writeId', 'path', 'write id');
  return {
    '/actions/{instanceId}/{action}': {
      post: {
        tags: ['writes'], summary: 'An event for an action: rendered into a write into ServiceNow', security: ACTION_AUTH,
        parameters: [h.param('instanceId', 'path'), h.param('action', 'path'), ...['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((n) => ({ name: n, in: 'header', schema: { type: 'string' } }))],
        requestBody: { required: true, content: { 'application/json': { schema: { description: 'any JSON event' } } } },
        responses: { '202': h.json(ref('WriteAccepted'), 'Accepted and durably queued'), '200': h.json(ref('WriteAccepted'), 'Duplicate (the same write id), or filtered by the triggers / filter'), ...h.errors(400, 401, 404, 413, 415, 429, 503) },
      },
    },
    '/instances/{id}/actions/{action}/test': {
      post: h.admin({
        tags: ['writes'], summary: 'Render a sample event into the request the action would send (send=true also sends it)',
        parameters: [id, h.param('action', 'path'), h.param('send', 'query', 'true: send it and report ServiceNow\'s answer', { type: 'boolean' })],
        requestBody: { required: true, content: { 'application/json': { schema: { description: 'a sample event' } } } },
        responses: { '200': h.json(ref('ActionTest')), ...h.errors(400, 404, 415) },
      }),
    },
    '/instances/{id}/writes': {
      post: {
        tags: ['writes'], summary: 'A direct write into ServiceNow', security: WRITER,
        parameters: [id, { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 }, description: 'the same key within 24 h is the same write' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('write-request') } } },
        responses: { '202': h.json(ref('WriteAccepted'), 'Accepted and durably queued'), '200': h.json(ref('WriteAccepted'), 'The same Idempotency-Key: the first write'), ...h.errors(400, 401, 404, 413, 415, 422, 503) },
      },
    },
    '/instances/{id}/writes/{writeId}': {
      get: { tags: ['writes'], summary: 'Where a write stands: status, attempts, ServiceNow\'s answer or the error', security: WRITER, parameters: [id, writeId], responses: { '200': h.json(ref('WriteStatus')), ...h.errors(401, 404, 503) } },
    },
    '/instances/{id}/writes/{writeId}/replay': {
      post: h.admin({ tags: ['writes'], summary: 'Run a dead write again (same write id, so the same client sys_id)', parameters: [id, writeId], responses: { '200': h.json({ type: 'object' }), ...h.errors(404, 503) } }),
    },
  };
}

const ATTEMPT: JsonSchema = {
  type: 'object',
  properties: { attempt: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, outcome: { enum: ['succeeded', 'found', 'retryable', 'rejected'] }, status: { type: 'integer' }, error: { type: 'string' }, durationMs: { type: 'number' }, retryInMs: { type: 'number' } },
};

/** Response shapes of the write routes. */
export const WRITE_SCHEMAS: Record<string, JsonSchema> = {
  WriteAccepted: { type: 'object', required: ['status'], properties: { id: { type: 'string', description: 'the write id' }, status: { enum: ['queued', 'duplicate', 'filtered'] }, reason: { type: 'string' } } },
  WriteStatus: {
    type: 'object',
    required: ['id', 'status', 'attempts'],
    properties: {
      id: { type: 'string' }, instanceId: { type: 'string' }, table: { type: 'string' }, operation: { enum: ['insert', 'update'] },
      origin: { type: 'object', description: '{"kind": "action", "action"} or {"kind": "direct"}' },
      status: { enum: ['queued', 'retrying', 'succeeded', 'dead'] },
      attempts: { type: 'array', items: ATTEMPT },
      result: { type: 'object', properties: { sys_id: { type: 'string' }, number: { type: 'string' }, sys_mod_count: { type: 'string' } } },
      error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, status: { type: 'integer' }, serviceNowMessage: { type: 'string' }, detail: { type: ['string', 'null'] } } },
      acceptedAt: { type: 'string', format: 'date-time' }, finishedAt: { type: 'string', format: 'date-time' },
    },
  },
  ActionTest: {
    type: 'object',
    required: ['request'],
    properties: {
      request: { type: 'object', properties: { method: { type: 'string' }, url: { type: 'string' }, headers: { type: 'object', description: 'Authorization redacted' }, body: { type: 'object' } } },
      response: { type: 'object', properties: { status: { type: 'integer' }, body: {} } },
      error: { type: 'object' },
      durationMs: { type: 'number' },
    },
  },
};

/** Security schemes of the write doors. */
export const WRITE_SECURITY_SCHEMES: Record<string, JsonSchema> = {
  actionBearer: { type: 'http', scheme: 'bearer', description: "the action's auth.bearer_token" },
  actionSignature: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: "Standard Webhooks v1 signature with the action's auth.secret" },
  writesBearer: { type: 'http', scheme: 'bearer', description: "the instance's writes.bearer_token" },
};
