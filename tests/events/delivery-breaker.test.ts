import type { Job } from 'bullmq';
import type { DeliveryJobData } from '../../src/events/delivery-record';
import { instanceFor } from './fixtures';
import { DeliveryHarness } from './delivery-harness';

/** Delivery through the subscriber's circuit breaker: 2 at a time, the breaker opening after 3 failures for 150 ms (then 300 ms). */
const h = new DeliveryHarness({ concurrency: 2 }, { failureThreshold: 3, openMs: 150, maxOpenMs: 300, probeLeaseMs: 2000 });
afterAll(() => h.close());

/** The delivery jobs, once each has completed (the delivered hook fires just before BullMQ records it). */
async function completed(ids: string[]): Promise<Array<Job<DeliveryJobData>>> {
  for (let i = 0; i < 100; i++) {
    const jobs = await Promise.all(ids.map((id) => h.producer.queue.getJob(id)));
    if (jobs.every((job) => job?.finishedOn)) return jobs as Array<Job<DeliveryJobData>>;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the delivery jobs did not complete');
}

describe('delivery through the subscriber circuit breaker', () => {
  it('when the subscriber fails, then after 3 failures deliveries are held without requests or spent attempts, one probe at a time tests it, and on recovery every event is delivered', async () => {
    const { subscriber } = await h.subscriberFor('outage');
    h.add(instanceFor('outage', subscriber.url, { 'event.notification.retry_schedule': '50ms,30s' })); // spans longer than the outage
    subscriber.setFallback(500);
    const events = Array.from({ length: 12 }, () => h.caseEvent('outage'));
    for (const event of events) await h.producer.enqueue(event, 'outage');

    await h.hooks.until(() => (subscriber.events.length >= 8 ? true : undefined), 15_000); // failures, then probes
    const [state] = await h.breaker!.states(['outage']);
    expect(state.state).not.toBe('closed');
    expect(state.heldEvents).toBeGreaterThan(0);

    subscriber.setFallback(200);
    await h.hooks.until(() => (events.every((e) => h.hooks.delivered.some((d) => d.event.id === e.id)) ? true : undefined), 15_000);
    const jobs = await completed(events.map((e) => e.id));
    // a failed probe is kept in its event's history (a successful one needs no history when it was the first attempt)
    const probes = jobs.flatMap((job) => job.data.attempts.filter((a) => a.probe && a.kind === 'retryable')).map((a) => Date.parse(a.at)).sort((a, b) => a - b);
    const failed = subscriber.events.filter((d) => d.status === 500).length;
    // before it opened: the threshold plus what was already in flight (concurrency 2); after: one probe per open period
    expect(failed - probes.length).toBeLessThanOrEqual(3 + 2);
    expect(probes.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < probes.length; i++) expect(probes[i] - probes[i - 1]).toBeGreaterThanOrEqual(150);
    expect(await h.breaker!.states(['outage'])).toEqual([expect.objectContaining({ state: 'closed', heldEvents: 0 })]);
    // attempts spent: only the failures while it was still closed; held time and failed probes spend none
    // (BullMQ counts the delivering attempt too: one per event)
    const made = jobs.reduce((sum, job) => sum + job.attemptsMade, 0);
    expect(made - events.length).toBe(failed - probes.length);
    expect(h.hooks.deadLettered.filter((d) => d.instanceId === 'outage')).toEqual([]);
  });

  it('when the breaker stays open longer than an event’s whole schedule, then the event is dead-lettered as spent — never before its span has passed', async () => {
    const { subscriber, instance } = await h.subscriberFor('down-for-good');
    h.add(instanceFor('down-for-good', subscriber.url, { 'event.notification.retry_schedule': '100ms,100ms,100ms' }));
    expect(instance.id).toBe('down-for-good');
    subscriber.setFallback(503);
    const events = Array.from({ length: 5 }, () => h.caseEvent('down-for-good'));
    const enqueuedAt = Date.now();
    for (const event of events) await h.producer.enqueue(event, 'down-for-good');

    const dead = await Promise.all(events.map((e) => h.hooks.deadLetterOf(e.id)));
    for (const entry of dead) {
      expect(entry.reason).toBe('retries_exhausted');
      expect(entry.deadLetteredAt - enqueuedAt).toBeGreaterThanOrEqual(300);
      expect(entry.attempts.filter((a) => !a.probe).length).toBeLessThanOrEqual(4);
    }
    expect(dead.some((entry) => /circuit breaker stayed open/.test(entry.message))).toBe(true);
    expect(subscriber.events.length).toBeLessThan(events.length * 4);
  });
});
