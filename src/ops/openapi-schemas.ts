import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '../lib/schemas';

/** A JSON Schema as read from schemas/. */
export type JsonSchema = Record<string, unknown>;

/**
 * Every schema file of schemas/ (and schemas/events/), read as-is, keyed by component name:
 * `instance`, `webhook-sn_customerservice_case`, `event-case`, `event-common`, …. Each keeps its `$id`, so the
 * relative `$ref`s between files resolve among the components (OpenAPI 3.1 is JSON Schema 2020-12).
 */
export function loadSchemaComponents(dir = SCHEMA_DIR): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const read = (folder: string, prefix: string) => {
    if (!fs.existsSync(folder)) return;
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.schema.json')).sort()) {
      out[prefix + file.replace(/\.schema\.json$/, '').replace(prefix, '')] = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as JsonSchema;
    }
  };
  read(dir, '');
  read(path.join(dir, 'events'), 'event-');
  return out;
}

/** `{"$ref": "#/components/schemas/<name>"}`. */
export function ref(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/** Hand-written shapes of snowgate's own responses (the request bodies all come from schemas/). */
export const RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', pattern: '^[a-z0-9_]+$' },
          message: { type: 'string' },
          details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
  WebhookAccepted: {
    type: 'object',
    required: ['id', 'status'],
    properties: { id: { type: 'string' }, status: { enum: ['queued', 'duplicate'] } },
  },
  WebhookUrls: { type: 'object', additionalProperties: { type: 'string', format: 'uri' }, description: '{table: webhook URL}' },
  InstanceCreated: {
    type: 'object',
    required: ['id', 'name', 'webhookUrls', 'webhookSecret'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      webhookUrls: ref('WebhookUrls'),
      webhookSecret: { type: ['string', 'null'], description: 'the current whsec_ secret; shown here only, never again' },
      warnings: { type: 'array', items: ref('InstanceWarning') },
      poller: ref('PollerView'),
    },
  },
  InstanceWarning: {
    type: 'object',
    required: ['path', 'message'],
    description: 'accepted but ignored (a Cloud Elements key with no meaning here) or missing (no subscriber)',
    properties: { path: { type: 'string', description: 'JSON pointer into the body' }, message: { type: 'string' } },
  },
  PollerView: {
    type: 'object',
    properties: {
      enabled: { type: 'boolean' },
      refreshIntervalMinutes: { type: 'number' },
      resourcesFrom: { enum: ['configuration', 'element defaults', 'capability defaults'] },
      resources: {
        type: 'object',
        description: '{name: the URL as written, the table read, sysparm_query (placeholders unexpanded), other parameters, and for a Cloud Elements hub URL its CEQL where}',
        additionalProperties: { type: 'object', properties: { url: { type: 'string' }, table: { type: 'string' }, sysparm_query: { type: 'string' }, where: { type: 'string' }, params: { type: 'object' } } },
      },
    },
  },
  InstanceView: {
    type: 'object',
    required: ['id', 'name', 'tags', 'configuration', 'webhookUrls', 'source'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      configuration: { type: 'object', description: 'as in the instance schema, every secret value replaced with "********"' },
      actions: { type: 'object', description: 'as in the instance schema, every auth value replaced with "********"' },
      webhookUrls: ref('WebhookUrls'),
      source: { enum: ['config', 'api'] },
      subscriber: { enum: ['ok', 'not_configured', 'off'], description: 'GET /instances/{id} only: whether events have somewhere to go' },
      poller: { ...ref('PollerView'), description: 'GET /instances/{id} only' },
      warnings: { type: 'array', items: ref('InstanceWarning'), description: 'GET /instances/{id} only' },
    },
  },
  InstancePatch: {
    type: 'object',
    additionalProperties: false,
    description: 'name and tags replace; configuration keys merge into the stored ones and a null value deletes a key; the result must pass the instance schema',
    properties: {
      name: { type: 'string' },
      tags: { type: ['array', 'null'], items: { type: 'string' } },
      configuration: { type: 'object', additionalProperties: true },
      actions: { type: 'object', additionalProperties: { oneOf: [{ $ref: 'https://snowgate.dev/schemas/instance.schema.json#/$defs/action' }, { type: 'null' }] }, description: 'actions merge by name; null deletes one' },
    },
  },
  SubscriberBreaker: {
    type: 'object',
    required: ['instanceId', 'state', 'failures', 'heldEvents'],
    properties: {
      instanceId: { type: 'string' },
      state: { enum: ['closed', 'open', 'half_open'] },
      failures: { type: 'integer', minimum: 0, description: 'consecutive failed deliveries' },
      heldEvents: { type: 'integer', minimum: 0, description: 'deliveries waiting for the subscriber to recover' },
      openedAt: { type: 'string', format: 'date-time' },
      nextProbeAt: { type: 'string', format: 'date-time' },
    },
  },
  QueueCounts: {
    type: 'object',
    required: ['queues'],
    properties: {
      queues: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'counts'],
          properties: {
            name: { type: 'string' },
            partition: { type: 'integer', minimum: 0, description: 'the partition the queue is of (SNOWGATE_PARTITIONS above 1); absent for one partition and for the base queues (poll)' },
            old: { type: 'boolean', description: 'a partition of the count before the last change, still drained (see snowgate partitions)' },
            paused: { type: 'boolean' },
            counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'waiting, active, delayed, completed, failed, prioritized, waiting-children' },
          },
        },
      },
    },
  },
  OpsFilter: {
    type: 'object',
    properties: {
      queue: { type: 'string' },
      instance: { type: 'string' },
      type: { type: 'string', description: 'job name (table) or CloudEvent type' },
      from: { type: ['string', 'integer'], description: 'ISO 8601 or epoch ms, inclusive' },
      to: { type: ['string', 'integer'], description: 'ISO 8601 or epoch ms, inclusive' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      all: { type: 'boolean', description: 'required for a bulk action without any other filter' },
    },
  },
  Health: { type: 'object', required: ['status'], properties: { status: { type: 'string' }, checks: { type: 'object' } } },
  TestConnection: {
    type: 'object',
    required: ['ok'],
    properties: { ok: { type: 'boolean' }, latencyMs: { type: 'number' }, reason: { type: 'string' } },
  },
};
