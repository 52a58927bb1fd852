import { Redis } from 'ioredis';
import type { AttemptReport, DeadLetterEntry } from '../../src/events/delivery-record';
import { toCloudEvent, type SnowgateEvent } from '../../src/events/to-cloud-event';
import type { Instance } from '../../src/instances/instance';
import { closeRedis, connectRedis, type RedisClient } from '../../src/lib/redis-connections';
import { DeliveryProducer } from '../../src/queues/delivery-producer';
import { SubscriberBreaker, type BreakerSettings } from '../../src/events/subscriber-breaker';
import { silentLogger } from '../../src/lib/logger';
import { BreakerGate } from '../../src/workers/breaker-gate';
import { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../../src/workers/delivery-worker';
import { startEventSubscriber, type EventSubscriber, type ScriptedResponse } from '../helpers/event-subscriber';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { caseData, changeOf, instanceFor, SIGNATURE_KEY } from './fixtures';

/** What the delivery hooks reported, with waiters. */
export class HookLog {
  readonly attempts: AttemptReport[] = [];
  readonly delivered: Array<{ event: SnowgateEvent; ms: number; attempts: number }> = [];
  readonly deadLettered: DeadLetterEntry[] = [];
  private waiters: Array<() => void> = [];

  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `check` returns a value, re-checked on every hook call; rejects after `timeoutMs`. */
  until<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== probe);
        reject(new Error('timed out waiting for a delivery hook'));
      }, timeoutMs);
      const probe = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== probe);
        resolve(value);
      };
      this.waiters.push(probe);
      probe();
    });
  }

  deliveredOf(eventId: string, count = 1) {
    return this.until(() => {
      const found = this.delivered.filter((d) => d.event.id === eventId);
      return found.length >= count ? found[count - 1] : undefined;
    });
  }

  deadLetterOf(eventId: string, count = 1) {
    return this.until(() => {
      const found = this.deadLettered.filter((d) => d.event.id === eventId);
      return found.length >= count ? found[count - 1] : undefined;
    });
  }
}

/** A producer and a worker on a private prefix of the shared Redis, with the given instances; 3 attempts, 20 and 40 ms apart (±10 %). */
export class DeliveryHarness {
  readonly prefix = uniquePrefix('delivery');
  readonly instances = new Map<string, Instance>();
  private readonly subscribers: EventSubscriber[] = [];
  readonly hooks = new HookLog();
  readonly producerConnection: RedisClient = connectRedis({ url: SHARED_REDIS_URL }, 'producer');
  readonly workerConnection: RedisClient = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
  readonly producer = new DeliveryProducer({ connection: this.producerConnection, prefix: this.prefix });
  readonly delivery: DeliveryWorker;
  /** The subscriber breaker, when the harness was made with one. */
  readonly breaker?: SubscriberBreaker;
  private readonly gate?: BreakerGate;

  constructor(options: DeliveryWorkerOptions = {}, breaker?: Partial<BreakerSettings>) {
    if (breaker) {
      this.breaker = new SubscriberBreaker(this.workerConnection, this.prefix, breaker);
      this.gate = new BreakerGate({ breaker: this.breaker, deliveries: this.producer.queue, logger: silentLogger });
      this.gate.start();
    }
    this.delivery = createDeliveryWorker({
      connection: this.workerConnection,
      prefix: this.prefix,
      getInstance: (id) => this.instances.get(id),
      breaker: this.gate,
      options: { concurrency: 10, timeoutMs: 2000, schedule: { delaysMs: [20, 40] }, ...options },
      hooks: {
        onAttempt: (o) => (this.hooks.attempts.push(o), this.hooks.notify()),
        onDelivered: (event, ms, attempts) => (this.hooks.delivered.push({ event, ms, attempts }), this.hooks.notify()),
        onDeadLettered: (entry) => (this.hooks.deadLettered.push(entry), this.hooks.notify()),
      },
    });
  }

  add(instance: Instance): Instance {
    this.instances.set(instance.id, instance);
    return instance;
  }

  /** A real subscriber answering from the script, and an instance `id` delivering to it. */
  async subscriberFor(id: string, responses: ScriptedResponse[] = []): Promise<{ subscriber: EventSubscriber; instance: Instance }> {
    const subscriber = await startEventSubscriber({ signatureKey: SIGNATURE_KEY, responses });
    this.subscribers.push(subscriber);
    return { subscriber, instance: this.add(instanceFor(id, subscriber.url)) };
  }

  /** A normalized case-update event of instance `instanceId`. */
  caseEvent(instanceId: string): SnowgateEvent {
    const change = changeOf('sn_customerservice_case', 'update', {}, instanceId);
    return toCloudEvent(change, this.instances.get(instanceId)!, caseData(change));
  }

  async close(): Promise<void> {
    await this.gate?.stop();
    await Promise.all(this.subscribers.map((s) => s.close()));
    await this.delivery.close();
    await this.producer.close();
    const redis = new Redis(SHARED_REDIS_URL);
    const keys = await redis.keys(`${this.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await closeRedis(this.producerConnection);
    await closeRedis(this.workerConnection);
  }
}
