import crypto from 'node:crypto';
import type { Worker } from 'bullmq';
import { ChangeEnqueuer } from '../../src/ingest/change-enqueuer';
import { silentLogger } from '../../src/lib/logger';
import { closeRedis, connectRedis, type RedisClient } from '../../src/lib/redis-connections';
import { ChangeClaims } from '../../src/queues/change-claims';
import type { ChangeJob } from '../../src/queues/change-job';
import { createIngestQueue, type IngestQueue } from '../../src/queues/ingest-queue';
import { createIntakeQueue, type IntakeBatch, type IntakeQueue } from '../../src/queues/intake-queue';
import { createIntakeWorker, type FanOutResult } from '../../src/workers/intake-worker';
import { until } from '../poller/poller-fixture';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';

let prefix: string;
let redis: RedisClient;
let intake: IntakeQueue;
let ingest: IngestQueue;
let claims: ChangeClaims;
const workers: Worker<IntakeBatch>[] = [];

beforeEach(() => {
  prefix = uniquePrefix('intake');
  redis = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
  intake = createIntakeQueue(redis, prefix);
  ingest = createIngestQueue(redis, prefix);
  claims = new ChangeClaims(redis, prefix);
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close(true);
  await intake.close();
  await ingest.close();
  await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
  await closeRedis(redis);
});

function report(sysId = crypto.randomBytes(16).toString('hex'), modCount = '1'): ChangeJob {
  return { eventId: crypto.randomUUID(), instanceId: 'acme', table: 'sn_customerservice_case', sysId, operation: 'update', sysUpdatedOn: '2026-11-22 10:00:00', sysModCount: modCount, record: {}, source: 'webhook', receivedAt: Date.now() };
}

function startWorker(overrides: { ingest?: Pick<IngestQueue, 'addBulk'>; lockDurationMs?: number; concurrency?: number } = {}): Worker<IntakeBatch> {
  const worker = createIntakeWorker({ connection: redis, prefix, claims, ingest: (overrides.ingest ?? ingest) as IngestQueue, logger: silentLogger, lockDurationMs: overrides.lockDurationMs, concurrency: overrides.concurrency });
  workers.push(worker);
  return worker;
}

/** Ingest job ids in the order they were queued (FIFO). */
const queuedInOrder = async () => (await ingest.getJobs(['waiting'], 0, -1)).reverse().map((j) => j.id);

describe('intake worker', () => {
  it('one batch at a time, fans accepted batches out in the order they were accepted: one ingest job per owned change, duplicates dropped', async () => {
    const enqueuer = new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom: 1 });
    const sysId = crypto.randomBytes(16).toString('hex');
    const groups = [[report(sysId, '1'), report()], [report(sysId, '2'), report(sysId, '2')], [report(sysId, '3')]];
    for (const group of groups) await Promise.all(group.map((c) => enqueuer.enqueue(c)));
    startWorker({ concurrency: 1 });
    const expected = [groups[0][0], groups[0][1], groups[1][0], groups[2][0]].map((c) => c.eventId);
    await until(async () => (await queuedInOrder()).length === 4, 10_000);
    expect(await queuedInOrder()).toEqual(expected);
    await until(async () => (await intake.getCompletedCount()) === 3, 10_000);
    expect((await intake.getJobs(['completed'], 0, -1)).map((j) => j.returnvalue as FanOutResult).sort((a, b) => a.changes - b.changes)).toEqual([
      { changes: 1, queued: 1, duplicates: 0 },
      { changes: 2, queued: 1, duplicates: 1 },
      { changes: 2, queued: 2, duplicates: 0 },
    ]);
  });

  it('when a fan-out fails, the batch is retried until its changes are queued', async () => {
    let calls = 0;
    const flaky: Pick<IngestQueue, 'addBulk'> = {
      addBulk: (jobs) => (++calls === 1 ? Promise.reject(new Error('Connection is closed.')) : ingest.addBulk(jobs)),
    };
    const change = report();
    await new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom: 1 }).enqueue(change);
    startWorker({ ingest: flaky });
    await until(async () => (await queuedInOrder()).length === 1, 10_000);
    expect(await queuedInOrder()).toEqual([change.eventId]);
    expect(calls).toBe(2);
  });

  it('when the worker dies mid-batch, another worker takes the batch up once its lock lapses, and its changes are queued once', async () => {
    const change = report();
    await new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom: 1 }).enqueue(change);
    let started!: () => void;
    const stuck = new Promise<void>((resolve) => (started = resolve));
    const hanging: Pick<IngestQueue, 'addBulk'> = { addBulk: () => (started(), new Promise(() => undefined)) };
    const dying = startWorker({ ingest: hanging, lockDurationMs: 1000 });
    await stuck;
    await dying.close(true); // gone without finishing or releasing the job
    expect(await intake.getActiveCount()).toBe(1);
    startWorker({ lockDurationMs: 1000 });
    await until(async () => (await queuedInOrder()).length === 1, 15_000);
    await until(async () => (await intake.getCompletedCount()) === 1, 10_000);
    expect(await queuedInOrder()).toEqual([change.eventId]);
  });
});
