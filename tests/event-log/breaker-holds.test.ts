import type { EventDetail } from '../../src/event-log/event-entry';
import { patchCase, startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const CASES = 'sn_customerservice_case';

describe('the event log while a subscriber is down (its circuit breaker opens after 2 failures for 300 ms)', () => {
  jest.setTimeout(60_000);
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({
      env: { SNOWGATE_BREAKER_FAILURES: '2', SNOWGATE_BREAKER_OPEN_MS: '300', SNOWGATE_BREAKER_MAX_OPEN_MS: '600', SNOWGATE_DELIVERY_SCHEDULE: '100ms,60s' },
    });
  });
  afterAll(() => p.close());

  const detail = async (id: string): Promise<EventDetail> => (await (await fetch(`${p.gateway.url}/ops/api/events/${id}`, { headers: ADMIN })).json()) as EventDetail;

  it('when deliveries are held by the open breaker, then their timelines say so, and once the subscriber is back they end delivered', async () => {
    p.subscriber.setFallback(503);
    const cases = p.sim.store.list(CASES).slice(0, 5);
    for (const c of cases) await patchCase(p.sim.url, c.sys_id, { short_description: 'During the outage' });
    const ids = new Set<string>();
    for (let i = 0; i < 100 && ids.size < cases.length; i++) {
      for (const d of p.subscriber.events) if (d.event) ids.add(String(d.event.id));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ids.size).toBe(cases.length);
    let held: EventDetail[] = [];
    for (let i = 0; i < 100 && held.length === 0; i++) {
      held = (await Promise.all([...ids].map(detail))).filter((e) => e.timeline.some((t) => t.stage === 'held'));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(held.length).toBeGreaterThan(0);

    p.subscriber.setFallback(204);
    let events: EventDetail[] = [];
    for (let i = 0; i < 150; i++) {
      events = await Promise.all([...ids].map(detail));
      if (events.every((e) => e.status === 'delivered')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.map((e) => e.status)).toEqual(events.map(() => 'delivered'));
    const wasHeld = events.find((e) => e.id === held[0].id)!;
    const stages = wasHeld.timeline.map((t) => t.stage);
    expect(stages.indexOf('held')).toBeLessThan(stages.lastIndexOf('attempt'));
    expect(wasHeld.timeline.at(-1)).toMatchObject({ stage: 'attempt', status: 204 });
  });
});
