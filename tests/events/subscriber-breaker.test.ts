import { SubscriberBreaker } from '../../src/events/subscriber-breaker';
import { closeRedis, connectRedis } from '../../src/lib/redis-connections';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';

const prefix = uniquePrefix('breaker');
const redis = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
const settings = { failureThreshold: 3, openMs: 1000, maxOpenMs: 3000, probeLeaseMs: 500 };
const T0 = 1_700_000_000_000;
let n = 0;

/** A breaker on a fresh instance id, opened by `failureThreshold` failures at T0. */
async function openBreaker(): Promise<{ breaker: SubscriberBreaker; id: string }> {
  const breaker = new SubscriberBreaker(redis, prefix, settings);
  const id = `sub-${++n}`;
  for (let i = 1; i < settings.failureThreshold; i++) expect(await breaker.record(id, `f${i}`, false, T0)).toEqual({ to: undefined, released: [] });
  expect(await breaker.record(id, 'f3', false, T0)).toEqual({ to: 'opened', released: [] });
  return { breaker, id };
}

afterAll(async () => {
  await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
  await closeRedis(redis);
});

describe('subscriber circuit breaker', () => {
  it('when failures are not consecutive, then it stays closed and deliveries go out', async () => {
    const breaker = new SubscriberBreaker(redis, prefix, settings);
    for (const ok of [false, false, true, false, false, true]) await breaker.record('flaky', 'e', ok, T0);
    expect(await breaker.admit('flaky', 'e1', T0)).toBe('send');
    expect(await breaker.states(['flaky'])).toEqual([{ instanceId: 'flaky', state: 'closed', failures: 0, heldEvents: 0 }]);
  });

  it('when it opens, then deliveries are held in arrival order until the open time is over', async () => {
    const { breaker, id } = await openBreaker();
    for (const job of ['a', 'b', 'c']) expect(await breaker.admit(id, job, T0 + 10)).toBe('hold');
    expect(await breaker.admit(id, 'a', T0 + 20)).toBe('hold'); // woken early: keeps its place
    expect(await breaker.states([id])).toEqual([
      { instanceId: id, state: 'open', failures: 3, heldEvents: 3, openedAt: new Date(T0).toISOString(), nextProbeAt: new Date(T0 + 1000).toISOString() },
    ]);
    expect((await breaker.claimDueProbes(T0 + 999)).filter((p) => p.instanceId === id)).toEqual([]);
    expect(await breaker.isClosed(id)).toBe(false);
  });

  it('when the open time is over, then exactly one delivery probes — the one held longest — and the rest keep waiting', async () => {
    const { breaker, id } = await openBreaker();
    for (const job of ['a', 'b', 'c']) await breaker.admit(id, job, T0 + 10);
    const due = await breaker.claimDueProbes(T0 + 1000);
    expect(due).toContainEqual({ instanceId: id, jobId: 'a' });
    const answers = await Promise.all(['x', 'y', 'z', 'b'].map((job) => breaker.admit(id, job, T0 + 1001)));
    expect(answers).toEqual(['hold', 'hold', 'hold', 'hold']);
    expect(await breaker.admit(id, 'a', T0 + 1002)).toBe('probe');
    expect((await breaker.states([id]))[0]).toMatchObject({ state: 'half_open', heldEvents: 5 });
  });

  it('when no delivery is held and the open time is over, then the next one to arrive is the probe, and only it', async () => {
    const { breaker, id } = await openBreaker();
    expect((await breaker.claimDueProbes(T0 + 1500)).filter((p) => p.instanceId === id)).toEqual([]);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => breaker.admit(id, `e${i}`, T0 + 1500)));
    expect(answers.filter((a) => a === 'probe')).toHaveLength(1);
    expect(answers.filter((a) => a === 'hold')).toHaveLength(9);
  });

  it('when a probe fails, then it opens again for twice as long, up to the maximum; a lapsed probe lets another one probe', async () => {
    const { breaker, id } = await openBreaker();
    expect(await breaker.admit(id, 'p1', T0 + 1000)).toBe('probe');
    expect(await breaker.record(id, 'p1', false, T0 + 1100)).toEqual({ to: 'reopened', released: [] });
    expect((await breaker.states([id]))[0].nextProbeAt).toBe(new Date(T0 + 1100 + 2000).toISOString());
    expect(await breaker.admit(id, 'p2', T0 + 3100)).toBe('probe');
    expect(await breaker.record(id, 'p2', false, T0 + 3100)).toMatchObject({ to: 'reopened' });
    expect((await breaker.states([id]))[0].nextProbeAt).toBe(new Date(T0 + 3100 + 3000).toISOString()); // 4 s, capped at 3 s
    expect(await breaker.admit(id, 'p3', T0 + 6100)).toBe('probe');
    expect(await breaker.admit(id, 'p4', T0 + 6500)).toBe('hold'); // p3 still out
    expect(await breaker.admit(id, 'p4', T0 + 6600)).toBe('probe'); // p3's lease (500 ms) lapsed: p3 is presumed lost
  });

  it('when a probe gets an answer, then it closes and releases the held deliveries, oldest first', async () => {
    const { breaker, id } = await openBreaker();
    for (const [job, at] of [['b', 20], ['a', 10], ['c', 30]] as const) await breaker.admit(id, job, T0 + at);
    const [probe] = (await breaker.claimDueProbes(T0 + 1000)).filter((p) => p.instanceId === id);
    expect(probe.jobId).toBe('a');
    expect(await breaker.admit(id, 'a', T0 + 1001)).toBe('probe');
    expect(await breaker.record(id, 'a', true, T0 + 1050)).toEqual({ to: 'closed', released: ['b', 'c'] });
    expect(await breaker.states([id])).toEqual([{ instanceId: id, state: 'closed', failures: 0, heldEvents: 0 }]);
    expect(await breaker.admit(id, 'd', T0 + 1060)).toBe('send');
    expect((await breaker.claimDueProbes(T0 + 99_999)).filter((p) => p.instanceId === id)).toEqual([]);
  });

  it('when an operator resets it, then it closes whatever its state and hands back what it held', async () => {
    const { breaker, id } = await openBreaker();
    await breaker.admit(id, 'a', T0 + 1);
    await breaker.hold(id, 'b', T0 + 2);
    expect(await breaker.reset(id)).toEqual(['a', 'b']);
    expect(await breaker.isClosed(id)).toBe(true);
  });
});
