import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ChangeClaims } from '../../src/queues/change-claims';
import { QUEUE_NAMES } from '../../src/queues/queue-names';
import { forgetSandboxHistory } from '../../src/sandbox/forget-sandbox-history';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';

describe('forgetSandboxHistory', () => {
  const prefix = uniquePrefix('sandbox');
  const redis = new Redis(SHARED_REDIS_URL);
  const queues = Object.fromEntries(Object.values(QUEUE_NAMES).map((name) => [name, new Queue(name, { connection: redis, prefix })]));
  afterAll(async () => {
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
    redis.disconnect();
  });

  it('when the sandbox restarts, then its remembered changes are forgotten and no other instance loses anything', async () => {
    const claims = new ChangeClaims(redis, prefix);
    const claimOf = (instanceId: string) => claims.key({ instanceId, table: 'sn_customerservice_case', sysId: 'a'.repeat(32), operation: 'update', sysModCount: '1' });
    const sandboxKeys = [
      claimOf('sandbox'),
      `${prefix}:state:{sandbox:sn_customerservice_case:${'a'.repeat(32)}}`,
      `${prefix}:lane:{sandbox:sn_customerservice_case:${'a'.repeat(32)}}`,
      `${prefix}:tokens:sandbox`,
      `${prefix}:poller:watermarks:sandbox`,
    ];
    const otherKeys = [
      claimOf('my-sandbox'),
      `${prefix}:state:{acme:sn_customerservice_case:${'a'.repeat(32)}}`,
      `${prefix}:tokens:sandbox-prod`,
      `${prefix}:ingest:${'b'.repeat(8)}`,
    ];
    for (const key of [...sandboxKeys, ...otherKeys]) await redis.set(key, '1');
    expect(await forgetSandboxHistory(redis, prefix)).toEqual({ keys: sandboxKeys.length, jobs: 0 });
    for (const key of sandboxKeys) expect(await redis.exists(key)).toBe(0);
    for (const key of otherKeys) expect(await redis.exists(key)).toBe(1);
  });

  it('when the previous run left unfinished jobs, then every one of the sandbox\'s goes (even one still locked by a killed worker) and other instances\' stay', async () => {
    const change = (instanceId: string) => ({ instanceId, table: 'sn_customerservice_case', sysId: 'c'.repeat(32) });
    await queues[QUEUE_NAMES.ingest].add('t', change('sandbox'), { jobId: 'retry-later', delay: 60_000 });
    await queues[QUEUE_NAMES.ingest].add('t', change('acme'), { jobId: 'acme-retry', delay: 60_000 });
    await queues[QUEUE_NAMES.intake].add('batch', { changes: [change('sandbox'), change('sandbox')] }, { jobId: 'sandbox-batch' });
    await queues[QUEUE_NAMES.deliver].add('e', { instanceId: 'sandbox', event: {} }, { jobId: 'delivery-retry', delay: 60_000 });
    await queues[QUEUE_NAMES.deadLetter].add('e', { instanceId: 'sandbox', event: {} }, { jobId: 'dead-letter' });
    // a job taken by a worker that then died: active, locked until its lock lapses
    await queues[QUEUE_NAMES.deliver].add('e', { instanceId: 'sandbox', event: {} }, { jobId: 'in-flight' });
    const workerConnection = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(QUEUE_NAMES.deliver, null, { connection: workerConnection, prefix, autorun: false });
    const taken = await worker.getNextJob('dead-worker-token');
    expect(taken?.id).toBe('in-flight');

    expect((await forgetSandboxHistory(redis, prefix)).jobs).toBe(5);
    for (const [queue, id] of [['ingest', 'retry-later'], ['intake', 'sandbox-batch'], ['deliver', 'delivery-retry'], ['deliver', 'in-flight'], ['dead-letter', 'dead-letter']]) {
      expect(await queues[queue].getJob(id)).toBeUndefined();
    }
    expect(await queues[QUEUE_NAMES.ingest].getJob('acme-retry')).toBeDefined();
    await worker.close(true);
    workerConnection.disconnect();
  });
});
