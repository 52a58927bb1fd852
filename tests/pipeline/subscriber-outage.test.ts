import { startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';

const CASES = 'sn_customerservice_case';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

/**
 * A 5-minute subscriber outage, compressed 100×: the default retry schedule and breaker timings divided by
 * 100 (steps 50 ms … 360 s, first open time 100 ms doubling up to 6 s), the outage 3 s, changes to 20 cases
 * flowing at 20/s before, during and after it.
 */
const SPEEDUP = 100;
const OUTAGE_MS = 300_000 / SPEEDUP;
const BREAKER = { failures: 5, openMs: 10_000 / SPEEDUP, maxOpenMs: 600_000 / SPEEDUP };
const CONCURRENCY = 8;

/**
 * Requests the failing subscriber can get: the failures that open the breaker, what was in flight when it
 * opened (the delivery worker's and the inline attempts' concurrency), and one probe per open period (the
 * open time doubles from `openMs` up to `maxOpenMs`), the period under way when the outage ends included.
 */
function requestBound(outageMs: number): number {
  let probes = 1;
  for (let elapsed = 0, open = BREAKER.openMs; elapsed < outageMs; open = Math.min(open * 2, BREAKER.maxOpenMs)) {
    elapsed += open;
    probes++;
  }
  return BREAKER.failures + 2 * CONCURRENCY + probes;
}

describe('a subscriber outage', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({
      env: {
        SNOWGATE_DELIVERY_SCHEDULE: '50ms,3s,18s,72s,180s,360s,360s',
        SNOWGATE_BREAKER_FAILURES: String(BREAKER.failures),
        SNOWGATE_BREAKER_OPEN_MS: String(BREAKER.openMs),
        SNOWGATE_BREAKER_MAX_OPEN_MS: String(BREAKER.maxOpenMs),
        SNOWGATE_WORKER_CONCURRENCY: String(CONCURRENCY),
      },
    });
  });
  afterAll(() => p.close());

  /** Changes the 20 seeded cases (round robin) at 20/s for `ms`; returns each change's case and sys_mod_count. */
  async function changeCases(ms: number, label: string): Promise<Array<{ sysId: string; modCount: number }>> {
    const cases = p.sim.store.list(CASES).slice(0, 20);
    const made = [];
    for (let i = 0, end = Date.now() + ms; Date.now() < end; i++) {
      const kase = cases[i % cases.length];
      const record = p.sim.store.update(CASES, kase.sys_id, { short_description: `${label} ${i}` })!;
      made.push({ sysId: kase.sys_id, modCount: Number(record.sys_mod_count) });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return made;
  }

  async function breakerSeen(): Promise<{ ops: Record<string, unknown>; ready: Record<string, unknown>; metric: string }> {
    const [ops, ready, metrics] = await Promise.all([
      fetch(`${p.gateway.url}/ops/api/subscribers`, { headers: ADMIN }).then((r) => r.json()),
      fetch(`${p.gateway.url}/readyz`).then((r) => r.json()),
      fetch(`${p.gateway.url}/metrics`, { headers: ADMIN }).then((r) => r.text()),
    ]);
    return {
      ops: (ops as { subscribers: Array<Record<string, unknown>> }).subscribers.find((s) => s.instanceId === 'acme')!,
      ready: (ready as { checks: { subscribers: Record<string, unknown> } }).checks.subscribers,
      metric: /snowgate_subscriber_breaker_state\{instance_id="acme"\} (\d)/.exec(metrics)?.[1] ?? '',
    };
  }

  it('when the subscriber answers 500 for a compressed 5 minutes while changes flow, then nothing is dead-lettered, every event arrives in per-record order after recovery, and the failing subscriber gets a bounded number of requests', async () => {
    const before = await changeCases(1000, 'before');
    p.subscriber.setFallback(500);
    const outageStarted = Date.now();
    const during = changeCases(OUTAGE_MS, 'during');
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS / 2));
    const seen = await breakerSeen(); // mid-outage: open (or probing), events held
    const outage = await during;
    p.subscriber.setFallback(200);
    const recovered = Date.now();
    const after = await changeCases(1000, 'after');

    const changes = [...before, ...outage, ...after];
    const key = (sysId: string, modCount: number) => `${sysId}/${modCount}`;
    const delivered = new Map<string, number>(); // change → when it first reached the subscriber with a 2xx
    for (let deadline = Date.now() + 30_000; delivered.size < changes.length && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const d of p.subscriber.events) {
        if (d.status < 300 && d.event && !delivered.has(key(d.event.subject!, Number(d.event.sequence)))) delivered.set(key(d.event.subject!, Number(d.event.sequence)), d.receivedAt);
      }
    }

    expect(seen.ops).toMatchObject({ state: expect.stringMatching(/^(open|half_open)$/), heldEvents: expect.any(Number) });
    expect(seen.ready).toMatchObject({ status: 'degraded', acme: expect.objectContaining({ status: 'degraded' }) });
    expect(['1', '2']).toContain(seen.metric);
    expect(changes.filter((c) => !delivered.has(key(c.sysId, c.modCount)))).toEqual([]);
    expect(await p.gateway.snowgate.deliveries.deadLetters.count()).toBe(0);
    // per record, events arrive in change order (sys_mod_count, the CloudEvent sequence)
    const bySubject = new Map<string, number[]>();
    for (const d of p.subscriber.events.filter((e) => e.status < 300)) bySubject.set(d.event!.subject!, [...(bySubject.get(d.event!.subject!) ?? []), Number(d.event!.sequence)]);
    for (const sequences of bySubject.values()) expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const failed = p.subscriber.events.filter((d) => d.status === 500).length;
    const bound = requestBound(Date.now() - outageStarted);
    expect(failed).toBeLessThanOrEqual(bound);
    expect((await breakerSeen()).ops).toMatchObject({ state: 'closed', heldEvents: 0 });

    const drainMs = Math.max(...outage.map((c) => delivered.get(key(c.sysId, c.modCount))!)) - recovered;
    process.stdout.write(
      `subscriber outage (5 min compressed ${SPEEDUP}×: ${OUTAGE_MS} ms): ${changes.length} changes (${outage.length} during the outage), ` +
        `${failed} requests to the failing subscriber (bound ${bound}), 0 dead-lettered, outage backlog delivered ${drainMs} ms after recovery\n`,
    );
  });
});
