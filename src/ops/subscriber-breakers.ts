import type { Queue } from 'bullmq';
import type { BreakerState, SubscriberBreaker } from '../events/subscriber-breaker';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import { releaseDeliveries } from '../queues/held-deliveries';

/**
 * The subscribers' circuit breakers as operators see and steer them (ops API, /readyz). The routes take this
 * interface so that they do not depend on where breakers live; {@link subscriberBreakers} adapts the breaker.
 */
export interface SubscriberBreakers {
  /** The breaker of every instance that has a subscriber, in registry order. */
  list(): Promise<BreakerState[]>;
  /** Closes one instance's breaker at once and wakes its held deliveries. Throws AppError 404 for an unknown instance. */
  reset(instanceId: string): Promise<{ instanceId: string; released: number }>;
}

/** {@link SubscriberBreakers} over the shared breaker, the instances and the `deliver` queue. */
export function subscriberBreakers(breaker: SubscriberBreaker, instances: { list(): Instance[]; get(id: string): Instance | undefined }, deliveries: Pick<Queue, 'getJob'>): SubscriberBreakers {
  return {
    list: () => breaker.states(instances.list().filter((i) => i.events.callbackUrl).map((i) => i.id)),
    async reset(instanceId) {
      if (!instances.get(instanceId)) throw new AppError('unknown_instance', `No instance ${instanceId}`, 404);
      const held = await breaker.reset(instanceId);
      return { instanceId, released: await releaseDeliveries(deliveries, held) };
    },
  };
}
