import crypto from 'node:crypto';
import type { SignatureVerifier, WebhookHeaders } from '../ingest/signature-verifier';
import { utf8Text } from '../ingest/utf8-text';
import type { RateLimiter } from '../ingest/rate-limiter';
import type { Action } from '../instances/action';
import type { Instance } from '../instances/instance';
import type { InstanceRegistry } from '../instances/instance-registry';
import { AppError } from '../lib/errors';
import { failedCondition } from './action-match';
import { renderActionRequest } from './render-action';
import type { WriteEnqueuer } from './write-enqueuer';

export interface ActionIntakeDeps {
  registry: InstanceRegistry;
  verifier: SignatureVerifier;
  enqueuer: WriteEnqueuer;
  rateLimiter: RateLimiter;
}

/** What the action door answers: a queued (or earlier) write, or why nothing is written. */
export type ActionOutcome = { status: 'queued' | 'duplicate'; id: string } | { status: 'filtered'; reason: string };


/**
 * The accept path of an event posted to an action, free of HTTP — the webhook intake's mirror: which
 * instance and action (404), rate (429), then on the raw body — UTF-8 (400), bearer token or Standard
 * Webhooks signature (401), JSON (400), triggers and filter (200 `filtered`), rendering (400) — and the
 * durable enqueue (202, 200 duplicate, or 503). Nothing is queued unless every check passed.
 *
 * The idempotency key is the action's rendered `idempotency_key`, else the signed `webhook-id`, else the
 * SHA-256 of the raw body: the same event posted twice is one write.
 */
export class ActionIntake {
  constructor(private readonly deps: ActionIntakeDeps) {}

  /** The instance and action of a request. */
  target(instanceId: string, actionName: string): { instance: Instance; action: Action } {
    const instance = this.deps.registry.get(instanceId);
    if (!instance) throw new AppError('unknown_instance', `No instance "${instanceId}"`, 404);
    const action = instance.actions.get(actionName);
    if (!action) {
      throw new AppError('unknown_action', `Instance "${instanceId}" has no action "${actionName}"`, 404, {
        details: [{ path: '/action', message: instance.actions.size ? `one of ${[...instance.actions.keys()].join(', ')}` : 'the instance has no actions' }],
      });
    }
    return { instance, action };
  }

  /** Spends one request of the instance's per-second budget for actions, or throws 429 with Retry-After. */
  admit(instance: Instance): void {
    this.deps.rateLimiter.admit(`${instance.id}\nactions`, instance.webhook.rateLimitPerSecond, `Instance "${instance.id}"`, 'action posts');
  }

  async accept(instance: Instance, action: Action, rawBody: Buffer, headers: WebhookHeaders): Promise<ActionOutcome> {
    const text = utf8Text(rawBody);
    const how = this.deps.verifier.verify(action.auth, text, headers);
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (err) {
      throw new AppError('invalid_json', `The request body is not valid JSON: ${(err as Error).message}`, 400);
    }
    const failed = failedCondition(action.conditions, event);
    if (failed) return { status: 'filtered', reason: `${failed.field} does not match` };
    const request = renderActionRequest(action, event);
    const rendered = action.idempotencyKey?.render(event);
    const key = rendered || (how === 'signature' && headers['webhook-id']) || crypto.createHash('sha256').update(rawBody).digest('hex');
    const result = await this.deps.enqueuer.enqueue(
      { writeId: crypto.randomUUID(), instanceId: instance.id, request, origin: { kind: 'action', action: action.name }, acceptedAt: Date.now() },
      `action|${action.name}`,
      key,
    );
    return { status: result.duplicate ? 'duplicate' : 'queued', id: result.id };
  }
}
