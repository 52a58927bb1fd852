import crypto from 'node:crypto';
import { AppError } from '../lib/errors';
import { utf8Text } from './utf8-text';
import type { Instance } from '../instances/instance';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { ChangeEnqueuer, EnqueueResult } from './change-enqueuer';
import type { PayloadValidator } from './payload-validator';
import type { RateLimiter } from './rate-limiter';
import type { SignatureVerifier, WebhookHeaders } from './signature-verifier';

export interface WebhookIntakeDeps {
  registry: InstanceRegistry;
  verifier: SignatureVerifier;
  validator: PayloadValidator;
  enqueuer: ChangeEnqueuer;
  rateLimiter: RateLimiter;
}

/**
 * The accept path of a ServiceNow webhook, free of HTTP: which instance and table (404), whether the
 * instance is over its rate (429), then on the raw body — UTF-8 (400), signature (401), JSON (400),
 * schema (400) — and finally the durable enqueue (202 / duplicate, or 503). Nothing is queued unless
 * every check passed.
 */
export class WebhookIntake {
  constructor(private readonly deps: WebhookIntakeDeps) {}

  /** The instance with this id, if any (no error). */
  registryInstance(instanceId: string): Instance | undefined {
    return this.deps.registry.get(instanceId);
  }

  /** Finds the instance and checks the table is enabled for it. */
  target(instanceId: string, table: string): Instance {
    const instance = this.deps.registry.get(instanceId);
    if (!instance) throw new AppError('unknown_instance', `No instance "${instanceId}"`, 404);
    if (!instance.webhook.tables.includes(table)) {
      throw new AppError('unknown_table', `Table "${table}" is not enabled for instance "${instanceId}"`, 404, {
        details: [{ path: '/table', message: `one of ${instance.webhook.tables.join(', ')}` }],
      });
    }
    return instance;
  }

  /** Spends one request of the instance's per-second budget, or throws 429 with Retry-After. */
  admit(instance: Instance): void {
    this.deps.rateLimiter.admit(instance.id, instance.webhook.rateLimitPerSecond, `Instance "${instance.id}"`, 'webhooks');
  }

  /** Verifies, parses, validates and enqueues one webhook body (`requestId` goes to the event log). */
  async accept(instance: Instance, table: string, rawBody: Buffer, headers: WebhookHeaders, requestId?: string): Promise<EnqueueResult> {
    const text = utf8Text(rawBody);
    this.deps.verifier.verify(instance.webhook, text, headers);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new AppError('invalid_json', `The request body is not valid JSON: ${(err as Error).message}`, 400);
    }
    const payload = this.deps.validator.validate(table, body);
    return this.deps.enqueuer.enqueue({
      eventId: crypto.randomUUID(),
      instanceId: instance.id,
      table,
      sysId: payload.sys_id,
      operation: payload.operation,
      sysUpdatedOn: payload.sys_updated_on,
      sysModCount: payload.sys_mod_count,
      record: payload.record,
      source: 'webhook',
      receivedAt: Date.now(),
    }, requestId);
  }
}
