import { Webhook } from 'standardwebhooks';
import { toCloudEvent } from '../../src/events/to-cloud-event';
import { freePort } from '../helpers/redis-server';
import { DeliveryHarness } from './delivery-harness';
import { caseData, changeOf, instanceFor, SIGNATURE_KEY } from './fixtures';

const h = new DeliveryHarness();
afterAll(() => h.close());

describe('event delivery', () => {
  it('when the subscriber answers 500 then 200, then the event is delivered on the retry, signed, with the same webhook-id', async () => {
    const { subscriber } = await h.subscriberFor('retry-500', [500, 200]);
    const event = h.caseEvent('retry-500');
    await h.producer.enqueue(event, 'retry-500');

    const delivered = await h.hooks.deliveredOf(event.id);
    expect(delivered.attempts).toBe(2);
    const got = await subscriber.waitFor(2);
    expect(got.map((d) => [d.signatureValid, d.headers['webhook-id'], d.attempt, d.status])).toEqual([
      [true, event.id, 1, 500],
      [true, event.id, 2, 200],
    ]);
    expect(got[1].headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(got[1].headers['user-agent']).toMatch(/^snowgate\//);
    expect(new Webhook(SIGNATURE_KEY).verify(got[1].body, got[1].headers)).toMatchObject({ id: event.id });
    expect(got[1].event?.toJSON()).toEqual(event.toJSON());
    const job = await h.producer.queue.getJob(event.id);
    expect(job?.data.attempts.map((a) => [a.attempt, a.status, a.kind])).toEqual([
      [1, 500, 'retryable'],
      [2, 200, 'delivered'],
    ]);
    expect(job?.data.attempts[0].retryInMs).toBeGreaterThanOrEqual(1);
  });

  it('when the subscriber answers 400, then the event is dead-lettered with its history, and a replay delivers the same CloudEvent', async () => {
    const { subscriber } = await h.subscriberFor('reject-400', [400]);
    const event = h.caseEvent('reject-400');
    await h.producer.enqueue(event, 'reject-400');

    const dead = await h.hooks.deadLetterOf(event.id);
    expect(dead).toMatchObject({ reason: 'rejected', instanceId: 'reject-400', deliveryJobId: event.id, message: 'subscriber answered 400' });
    expect(dead.attempts).toEqual([expect.objectContaining({ attempt: 1, status: 400, kind: 'permanent' })]);
    expect(await h.producer.deadLetters.get(event.id)).toMatchObject({ reason: 'rejected' });
    expect(h.hooks.attempts.filter((a) => a.eventId === event.id)).toHaveLength(1);

    subscriber.setResponses([200]);
    const replay = await h.producer.replay(event.id);
    expect(replay).toEqual({ eventId: event.id, instanceId: 'reject-400', jobId: `${event.id}-r1`, replayOf: event.id, from: 'dead-letter' });
    await h.hooks.deliveredOf(event.id);
    const got = await subscriber.waitFor(2);
    expect(got[1]).toMatchObject({ signatureValid: true, attempt: 2, status: 200 });
    expect(got[1].event?.id).toBe(event.id);
    expect(await h.producer.deadLetters.get(event.id)).toBeUndefined();

    // a delivered event can be replayed too, under the next job id
    await expect(h.producer.replay(event.id)).resolves.toMatchObject({ jobId: `${event.id}-r2`, from: 'delivered' });
    await h.hooks.deliveredOf(event.id, 2);
    await expect(h.producer.replay('no-such-event')).rejects.toMatchObject({ code: 'event_not_found', httpStatus: 404 });
  });

  it('when the subscriber answers 410, then it is disabled and the next event is dead-lettered at once until re-enabled', async () => {
    const { subscriber } = await h.subscriberFor('gone-410', [410]);
    const first = h.caseEvent('gone-410');
    await h.producer.enqueue(first, 'gone-410');
    expect(await h.hooks.deadLetterOf(first.id)).toMatchObject({ reason: 'subscriber_gone' });
    expect(await h.producer.subscribers.get('gone-410')).toMatchObject({ eventId: first.id, status: 410 });

    const second = h.caseEvent('gone-410');
    await h.producer.enqueue(second, 'gone-410');
    expect(await h.hooks.deadLetterOf(second.id)).toMatchObject({ reason: 'subscriber_disabled', attempts: [] });
    expect(subscriber.events).toHaveLength(1);

    // an operator's replay enables the subscriber again
    await h.producer.replay(second.id);
    await h.hooks.deliveredOf(second.id);
    expect(await h.producer.subscribers.get('gone-410')).toBeUndefined();
    expect(subscriber.events.map((d) => d.headers['webhook-id'])).toEqual([first.id, second.id]);
  });

  it('when the subscriber answers 429 with Retry-After, then the retry waits exactly that long', async () => {
    await h.subscriberFor('throttled-429', [{ status: 429, headers: { 'Retry-After': '1' } }, 200]);
    const event = h.caseEvent('throttled-429');
    await h.producer.enqueue(event, 'throttled-429');
    await h.hooks.deliveredOf(event.id);
    const attempts = h.hooks.attempts.filter((a) => a.eventId === event.id);
    expect(attempts.map((a) => [a.status, a.retryAfterMs, a.retryInMs])).toEqual([
      [429, 1000, 1000],
      [200, undefined, undefined],
    ]);
  });

  it('when the subscriber cannot be reached, then each attempt is retried until the schedule is spent', async () => {
    const port = await freePort();
    h.add(instanceFor('unreachable', `http://127.0.0.1:${port}/events`));
    const event = h.caseEvent('unreachable');
    await h.producer.enqueue(event, 'unreachable');
    const dead = await h.hooks.deadLetterOf(event.id);
    expect(dead.reason).toBe('retries_exhausted');
    expect(dead.attempts.map((a) => a.kind)).toEqual(['retryable', 'retryable', 'retryable']);
    expect(dead.attempts[0].error).toMatch(/ECONNREFUSED/);
    expect(dead.attempts.slice(0, 2).every((a) => (a.retryInMs ?? 0) >= 1 && (a.retryInMs ?? 0) <= 100)).toBe(true);
    expect(dead.attempts[2].retryInMs).toBeUndefined();
  });

  it('when the callback resolves to loopback and private targets are not allowed, then nothing is sent and the event is dead-lettered ssrf_blocked', async () => {
    const { subscriber } = await h.subscriberFor('ssrf');
    h.add(instanceFor('ssrf', subscriber.url.replace('127.0.0.1', 'localhost'), { 'event.notification.allow_private_targets': false }));
    const event = h.caseEvent('ssrf');
    await h.producer.enqueue(event, 'ssrf');
    const dead = await h.hooks.deadLetterOf(event.id);
    expect(dead.reason).toBe('ssrf_blocked');
    expect(dead.attempts).toEqual([expect.objectContaining({ kind: 'permanent' })]);
    expect(subscriber.events).toHaveLength(0);
  });

  it('when the instance is unknown, then the event is dead-lettered not_configured', async () => {
    const change = changeOf('sn_customerservice_case', 'insert', {}, 'nobody');
    const event = toCloudEvent(change, instanceFor('nobody', 'https://x.example.com/'), caseData(change));
    await h.producer.enqueue(event, 'nobody');
    expect(await h.hooks.deadLetterOf(event.id)).toMatchObject({ reason: 'not_configured' });
  });
});
