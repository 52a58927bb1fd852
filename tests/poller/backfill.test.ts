import crypto from 'node:crypto';
import { BackfillCursorStore } from '../../src/poller/backfill-cursor';
import { runBackfill } from '../../src/poller/backfill';
import { ServiceNowClient } from '../../src/servicenow/servicenow-client';
import { TokenManager } from '../../src/servicenow/token-manager';
import { PollerFixture } from './poller-fixture';

const CASE = 'sn_customerservice_case';

describe('backfill', () => {
  let f: PollerFixture;
  let since: Date;
  let ids: string[];
  beforeEach(async () => {
    f = await new PollerFixture().start();
    since = new Date(Date.now() - 86_400_000);
    f.sim.clock.set(since);
    ids = Array.from({ length: 30 }, (_, i) => {
      f.sim.clock.advance(1000);
      return f.sim.store.insert(CASE, { short_description: `history ${i}` }).sys_id;
    });
    f.sim.clock.useRealTime();
  });
  afterEach(() => f.stop());

  const client = () => new ServiceNowClient(f.instance, new TokenManager({ redis: f.redis, encryptionKey: crypto.randomBytes(32), instances: f.registry }));

  it('when a backfill is interrupted, then running it again resumes from its cursor and queues each change once', async () => {
    let calls = 0;
    const failing = { enqueue: (c: Parameters<typeof f.enqueuer.enqueue>[0]) => (++calls > 20 ? Promise.reject(new Error('redis went away')) : f.enqueuer.enqueue(c)) };
    await expect(runBackfill({ instance: f.instance, client: client(), enqueuer: failing, redis: f.redis, prefix: f.prefix, since, pageSize: 10 })).rejects.toThrow('redis went away');
    const cursor = await new BackfillCursorStore(f.redis, f.prefix).load('acme', 'cases', since);
    expect(cursor).toMatchObject({ done: 20, total: 30 });

    const progress: string[] = [];
    const summary = await runBackfill({
      instance: f.instance, client: client(), enqueuer: f.enqueuer, redis: f.redis, prefix: f.prefix, since, pageSize: 10,
      onProgress: (p) => p.resource === 'cases' && progress.push(`${p.done}/${p.total}`),
    });
    const cases = summary.resources.find((r) => r.resource === 'cases')!;
    expect(cases).toMatchObject({ resumed: true, rows: 10, queued: 10 });
    expect(progress).toEqual(['30/30', '30/30']);
    const jobs = (await f.jobs()).filter((j) => ids.includes(j.sysId));
    expect(jobs).toHaveLength(30);
    expect(jobs.every((j) => j.source === 'backfill' && j.operation === 'insert')).toBe(true);
    expect(await f.redis.exists(new BackfillCursorStore(f.redis, f.prefix).key('acme'))).toBe(0);
  });
});
