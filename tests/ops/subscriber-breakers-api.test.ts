import request from 'supertest';
import { newSecret } from '../helpers/webhook-signing';
import { ADMIN_TOKEN, instanceBody, startOpsGateway, type OpsGateway } from './ops-gateway';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('ops API: subscriber circuit breakers', () => {
  let gw: OpsGateway;

  beforeAll(async () => {
    const subscriber = (id: string) => ({
      ...instanceBody(id, { 'webhook.secret': newSecret(), 'event.notification.callback.url': `https://${id}.example.com/events`, 'event.notification.signature.key': newSecret() }),
      id,
    });
    gw = await startOpsGateway({ configInstances: [subscriber('healthy'), subscriber('failing'), { ...instanceBody('silent', { 'webhook.secret': newSecret() }), id: 'silent' }] });
  });
  afterAll(() => gw.close());

  it('when a subscriber keeps failing, then its breaker shows open with its held events in the ops API, /readyz and /metrics; a reset closes it and wakes them', async () => {
    const { breaker, deliveries } = gw.snowgate;
    for (let i = 0; i < breaker.settings.failureThreshold; i++) await breaker.record('failing', `e${i}`, false);
    await deliveries.partition(0).queue.add('com.servicenow.case.updated', { event: { id: 'held-1' }, instanceId: 'failing', attempts: [], enqueuedAt: Date.now() }, { jobId: 'held-1', delay: 600_000 });
    expect(await breaker.admit('failing', 'held-1')).toBe('hold');

    const listed = await request(gw.url).get('/ops/api/subscribers').set(auth).expect(200);
    expect(listed.body.subscribers).toEqual([
      { instanceId: 'healthy', state: 'closed', failures: 0, heldEvents: 0 },
      expect.objectContaining({ instanceId: 'failing', state: 'open', failures: 5, heldEvents: 1, openedAt: expect.any(String), nextProbeAt: expect.any(String) }),
    ]);
    const ready = await request(gw.url).get('/readyz').expect(200);
    expect(ready.body.checks.subscribers).toMatchObject({ status: 'degraded', healthy: { status: 'ok', breaker: 'closed' }, failing: { status: 'degraded', breaker: 'open', heldEvents: 1 } });
    const metrics = await request(gw.url).get('/metrics').set(auth).expect(200);
    expect(metrics.text).toContain('snowgate_subscriber_breaker_state{instance_id="failing"} 2');
    expect(metrics.text).toContain('snowgate_subscriber_held_events{instance_id="failing"} 1');

    await request(gw.url).post('/ops/api/subscribers/failing/reset').expect(401);
    const reset = await request(gw.url).post('/ops/api/subscribers/failing/reset').set(auth).expect(200);
    expect(reset.body).toEqual({ instanceId: 'failing', released: 1 });
    expect(await deliveries.partition(0).queue.getJobState('held-1')).toBe('waiting');
    expect((await request(gw.url).get('/readyz').expect(200)).body.checks.subscribers.status).toBe('ok');
    const missing = await request(gw.url).post('/ops/api/subscribers/nope/reset').set(auth).expect(404);
    expect(missing.body.error.code).toBe('unknown_instance');
  });
});
