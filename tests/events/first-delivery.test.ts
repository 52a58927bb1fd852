import { SubscriberStatus } from '../../src/events/subscriber-status';
import { toCloudEvent } from '../../src/events/to-cloud-event';
import { closeRedis, connectRedis } from '../../src/lib/redis-connections';
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

  beforeAll(async () => {
    subscriber = await startEventSubscriber({ signatureKey: SIGNATURE_KEY });
  });
  afterAll(async () => {
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
