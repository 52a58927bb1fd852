import { Queue } from 'bullmq';
import { SubscriberBreaker } from '../../src/events/subscriber-breaker';
import { SubscriberStatus } from '../../src/events/subscriber-status';
import { toCloudEvent } from '../../src/events/to-cloud-event';
import { silentLogger } from '../../src/lib/logger';
import { closeRedis, connectRedis } from '../../src/lib/redis-connections';
import { QUEUE_NAMES } from '../../src/queues/queue-names';
import { BreakerGate } from '../../src/workers/breaker-gate';
import { FirstDelivery } from '../../src/workers/first-delivery';
import { startEventSubscriber, type EventSubscriber } from '../helpers/event-subscriber';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';
import { caseData, changeOf, instanceFor, SIGNATURE_KEY } from './fixtures';

describe('the inline first delivery attempt', () => {
  const prefix = uniquePrefix('first');
  const redis = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
  const subscribers = new SubscriberStatus(redis, prefix);
  let clock = 1_000_000;
  let subscriber: EventSubscriber;
  const first = new FirstDelivery({ subscribers, send: { timeoutMs: 3000 }, slowMs: 1000, coolDownMs: 30_000, now: () => clock });
  const deliveries = new Queue(QUEUE_NAMES.deliver, { connection: redis, prefix });
  const breaker = new SubscriberBreaker(redis, prefix, { failureThreshold: 2, openMs: 60_000 });

  beforeAll(async () => {
    subscriber = await startEventSubscriber({ signatureKey: SIGNATURE_KEY });
  });
  afterAll(async () => {
    await deliveries.close();
    await subscriber.close();
    await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
    await closeRedis(redis);
  });

  const eventFor = (instanceId: string) => {
    const change = changeOf('sn_customerservice_case', 'update', {}, instanceId);
    return toCloudEvent(change, instanceFor(instanceId, subscriber.url), caseData(change));
  };

  it('when the subscriber answers 2xx quickly, then the event is delivered inline and the next one is tried inline too', async () => {
    const instance = instanceFor('quick', subscriber.url);
    expect(await first.attempt(eventFor('quick'), instance)).toBe('delivered');
    expect(await first.attempt(eventFor('quick'), instance)).toBe('delivered');
    expect(subscriber.events.filter((d) => d.event?.snowgateinstance === 'quick')).toHaveLength(2);
  });

  it('when the subscriber answers slowly, then the instance goes to the delivery queue until the cool-down ends, and other instances are not affected', async () => {
    subscriber.setResponses([{ status: 200, delayMs: 1500 }]);
    const slow = instanceFor('slow', subscriber.url);
    expect(await first.attempt(eventFor('slow'), slow)).toBe('delivered');
    const before = subscriber.events.length;
    expect(await first.attempt(eventFor('slow'), slow)).toBeUndefined(); // not attempted: the delivery queue takes it
    expect(subscriber.events).toHaveLength(before);
    expect(await first.attempt(eventFor('quick'), instanceFor('quick', subscriber.url))).toBe('delivered');
    clock += 30_001;
    expect(await first.attempt(eventFor('slow'), slow)).toBe('delivered');
  });

  it('when the subscriber does not take the event, then the attempt is handed over for the queue to settle and the instance cools down', async () => {
    subscriber.setResponses([503]);
    const failing = instanceFor('failing', subscriber.url);
    const handed = await first.attempt(eventFor('failing'), failing);
    expect(handed).toMatchObject({ outcome: { kind: 'retryable', status: 503 } });
    expect(first.inlineAllowed('failing')).toBe(false);
  });

  it('when the subscriber was disabled after a 410, then nothing is attempted inline', async () => {
    await subscribers.disable({ instanceId: 'gone', at: clock, eventId: 'e0', status: 410 });
    expect(await first.attempt(eventFor('gone'), instanceFor('gone', subscriber.url))).toBeUndefined();
  });

  it('when inline attempts fail, then they count for the breaker, and once it is open events go to the queue without a request', async () => {
    // no cool-down here, so that only the breaker stops the inline attempts
    const gated = new FirstDelivery({ subscribers, breaker: new BreakerGate({ breaker, deliveries, logger: silentLogger, stateTtlMs: 0 }), send: { timeoutMs: 3000 }, coolDownMs: 0 });
    const instance = instanceFor('broken', subscriber.url);
    const sentTo = () => subscriber.events.filter((d) => d.event?.snowgateinstance === 'broken').length;
    subscriber.setResponses([503, 500]);
    expect(await gated.attempt(eventFor('broken'), instance)).toMatchObject({ outcome: { status: 503 } });
    expect(await gated.attempt(eventFor('broken'), instance)).toMatchObject({ outcome: { status: 500 } });
    expect(await breaker.states(['broken'])).toEqual([expect.objectContaining({ state: 'open', failures: 2 })]);
    expect(await gated.attempt(eventFor('broken'), instance)).toBeUndefined();
    expect(sentTo()).toBe(2);
    await breaker.reset('broken');
    expect(await gated.attempt(eventFor('broken'), instance)).toBe('delivered');
  });

  it('when another worker disables the subscriber, then inline attempts stop once the status read is older than its 1 s lifetime', async () => {
    const instance = instanceFor('later-gone', subscriber.url);
    expect(await first.attempt(eventFor('later-gone'), instance)).toBe('delivered');
    await subscribers.disable({ instanceId: 'later-gone', at: clock, eventId: 'e1', status: 410 });
    expect(await first.attempt(eventFor('later-gone'), instance)).toBe('delivered'); // the status read a moment ago is reused
    clock += 1001;
    expect(await first.attempt(eventFor('later-gone'), instance)).toBeUndefined();
    await subscribers.enable('later-gone');
    clock += 1001;
    expect(await first.attempt(eventFor('later-gone'), instance)).toBe('delivered');
  });
});
