import { DeliveryHarness } from './delivery-harness';

const h = new DeliveryHarness({ timeoutMs: 500 });
afterAll(() => h.close());

describe('delivery fairness and replay', () => {
  it('when one subscriber is slow and then keeps failing, then a fresh event for another instance is delivered meanwhile', async () => {
    await h.subscriberFor('slow', [{ status: 200, delayMs: 5000 }]);
    await h.subscriberFor('failing', Array(5).fill({ status: 503, headers: { 'Retry-After': '30' } }));
    await h.subscriberFor('healthy');
    const slow = h.caseEvent('slow');
    const failing = h.caseEvent('failing');
    const fresh = h.caseEvent('healthy');

    await h.producer.enqueue(slow, 'slow');
    await h.producer.enqueue(failing, 'failing');
    await h.hooks.until(() => h.hooks.attempts.find((a) => a.eventId === failing.id));
    await h.producer.enqueue(fresh, 'healthy');
    await h.hooks.deliveredOf(fresh.id);

    expect(await h.producer.queue.getJobState(failing.id)).toBe('delayed');
    expect(h.hooks.attempts.find((a) => a.eventId === failing.id)?.retryInMs).toBe(30_000);
    // the slow subscriber times out (retryable) after the fresh event went through
    const slowAttempt = await h.hooks.until(() => h.hooks.attempts.find((a) => a.eventId === slow.id));
    expect(slowAttempt).toMatchObject({ kind: 'retryable', error: expect.stringMatching(/^timeout/) });
    expect(h.hooks.delivered.map((d) => d.event.id)).not.toContain(failing.id);
  });

  it('bulk replay takes the dead letters of one instance (and type) only', async () => {
    const a = (await h.subscriberFor('bulk-a', [400, 400])).subscriber;
    await h.subscriberFor('bulk-b', [400]);
    const a1 = h.caseEvent('bulk-a');
    const a2 = h.caseEvent('bulk-a');
    const b1 = h.caseEvent('bulk-b');
    for (const [e, id] of [[a1, 'bulk-a'], [a2, 'bulk-a'], [b1, 'bulk-b']] as const) await h.producer.enqueue(e, id);
    await Promise.all([a1, a2, b1].map((e) => h.hooks.deadLetterOf(e.id)));
    const before = Date.now();

    expect(await h.producer.replayMany({ instanceId: 'bulk-a', type: 'com.servicenow.case.created' })).toEqual([]);
    expect(await h.producer.replayMany({ instanceId: 'bulk-a', to: before - 60_000 })).toEqual([]);
    const replayed = await h.producer.replayMany({ instanceId: 'bulk-a', type: 'com.servicenow.case.updated', to: before });
    expect(replayed.map((r) => r.eventId).sort()).toEqual([a1.id, a2.id].sort());
    await Promise.all([a1, a2].map((e) => h.hooks.deliveredOf(e.id)));
    expect(a.events.filter((d) => d.status === 204).map((d) => d.headers['webhook-id']).sort()).toEqual([a1.id, a2.id].sort());
    expect(await h.producer.deadLetters.get(b1.id)).toMatchObject({ instanceId: 'bulk-b' });
    await expect(h.producer.replay(`${a1.id}-r1`)).resolves.toMatchObject({ jobId: `${a1.id}-r2`, from: 'delivered' });
  });
});
