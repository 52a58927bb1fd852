import type { DeliveryHooks, DeliveryJobData } from '../events/delivery-record';
import { sendEvent, type SendOptions } from '../events/send-event';
import type { SubscriberStatus } from '../events/subscriber-status';
import type { SnowgateEvent } from '../events/to-cloud-event';
import type { Instance } from '../instances/instance';
import type { BreakerGate } from './breaker-gate';
import { deliveryTarget } from './delivery-target';

export interface FirstDeliveryOptions {
  subscribers: SubscriberStatus;
  /** The subscriber circuit breaker: while it is not closed, events go straight to the delivery queue (where they are held). */
  breaker?: BreakerGate;
  /** Options of the inline attempt; its timeout should be short (default 3 s in the worker role). */
  send: SendOptions;
  hooks?: DeliveryHooks;
  /** An inline attempt slower than this, or one that did not deliver, sends the instance's next events straight to the delivery queue (default 500 ms). */
  slowMs?: number;
  /** For how long (default 30 s). */
  coolDownMs?: number;
  /**
   * How long a subscriber's enabled/disabled status read from Redis is reused (default 1 s), so the hot path
   * does not read it for every event. A 410 seen by another worker meanwhile is settled by the delivery queue.
   */
  statusTtlMs?: number;
  now?: () => number;
}

/**
 * The first delivery attempt, made inline by the ingest worker right after enrichment: most events are
 * delivered at once, without the cost and latency of a second queue hop. An instance whose subscriber
 * answered slowly or not at all is left to the delivery queue for a while, so one slow subscriber never
 * ties up the enrichment workers every other instance shares.
 */
export class FirstDelivery {
  private readonly cooling = new Map<string, number>();
  private readonly disabled = new Map<string, { disabled: boolean; until: number }>();
  private readonly slowMs: number;
  private readonly coolDownMs: number;
  private readonly statusTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: FirstDeliveryOptions) {
    this.slowMs = options.slowMs ?? 500;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.statusTtlMs = options.statusTtlMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Whether the instance's subscriber is disabled (410), from Redis at most once per `statusTtlMs`. */
  private async subscriberDisabled(instanceId: string): Promise<boolean> {
    const known = this.disabled.get(instanceId);
    if (known && this.now() < known.until) return known.disabled;
    const disabled = (await this.options.subscribers.get(instanceId)) !== undefined;
    this.disabled.set(instanceId, { disabled, until: this.now() + this.statusTtlMs });
    return disabled;
  }

  /** Whether an event of this instance should be tried inline now. */
  inlineAllowed(instanceId: string): boolean {
    const until = this.cooling.get(instanceId);
    if (until === undefined) return true;
    if (this.now() < until) return false;
    this.cooling.delete(instanceId);
    return true;
  }

  /** Notes how an inline attempt went: slow or undelivered attempts cool the instance down. */
  record(instanceId: string, delivered: boolean, durationMs: number): void {
    if (!delivered || durationMs > this.slowMs) this.cooling.set(instanceId, this.now() + this.coolDownMs);
  }

  /**
   * Returns `delivered`, or the attempt for the delivery queue to settle (retry with backoff, dead-letter,
   * disable on 410), or undefined when nothing was attempted (cooling down, subscriber disabled, breaker not
   * closed) and the delivery queue should do it all. The attempt counts for the subscriber's breaker.
   */
  async attempt(event: SnowgateEvent, instance: Instance): Promise<'delivered' | DeliveryJobData['firstAttempt']> {
    if (!this.inlineAllowed(instance.id)) return undefined;
    const target = deliveryTarget(instance, instance.id);
    if ('unavailable' in target || (await this.subscriberDisabled(instance.id))) return undefined;
    if (this.options.breaker && !(await this.options.breaker.allowsInline(instance.id))) return undefined;
    const at = new Date().toISOString();
    const outcome = await sendEvent(event, target, this.options.send);
    this.record(instance.id, outcome.kind === 'delivered', outcome.durationMs);
    await this.options.breaker?.record(instance.id, event.id, outcome, { inline: true });
    if (outcome.kind !== 'delivered') return { at, outcome };
    try {
      this.options.hooks?.onAttempt?.({ ...outcome, eventId: event.id, eventType: event.type, instanceId: instance.id, attempt: 1, at, inline: true });
      this.options.hooks?.onDelivered?.(event, outcome.durationMs, 1);
    } catch {
      // a metrics hook must never break delivery
    }
    return 'delivered';
  }
}
