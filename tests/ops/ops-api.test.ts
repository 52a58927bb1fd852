import { Worker, type Job } from 'bullmq';
import request from 'supertest';
import { connectRedis, closeRedis, type RedisClient } from '../../src/lib/redis-connections';
import { DeliveryProducer } from '../../src/queues/delivery-producer';
import { QUEUE_NAMES } from '../../src/queues/queue-names';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { ADMIN_TOKEN, startOpsGateway, type OpsGateway } from './ops-gateway';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('ops API: queue counts, failed jobs, dead letters', () => {
  let gw: OpsGateway;
  let connection: RedisClient;
  let delivery: DeliveryProducer;

  beforeAll(async () => {
    const prefix = uniquePrefix('ops-api');
    connection = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
    delivery = new DeliveryProducer({ connection, prefix });
    gw = await startOpsGateway({ prefix });
  });

  afterAll(async () => {
    await delivery.close();
    await gw.close();
    await closeRedis(connection);
  });

  /** Puts jobs on the ingest queue and lets a worker fail them once (no retry left). */
  async function failIngestJobs(jobs: Array<{ name: string; instanceId: string }>): Promise<string[]> {
    const ids: string[] = [];
    for (const j of jobs) ids.push((await gw.snowgate.partitions[0].ingest.add(j.name, { instanceId: j.instanceId } as never, { attempts: 1 })).id ?? '');
    const workerConnection = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
    const worker = new Worker(QUEUE_NAMES.ingest, async () => { throw new Error('ServiceNow said no'); }, { connection: workerConnection, prefix: gw.prefix });
    await new Promise<void>((resolve) => {
      let n = 0;
      worker.on('failed', () => { if (++n === jobs.length) resolve(); });
    });
    await worker.close();
    await closeRedis(workerConnection);
    return ids;
  }

  it('when asked for queue counts, then each snowgate queue reports its states; 401 without the token', async () => {
    await request(gw.url).get('/ops/api/queues').expect(401);
    await gw.snowgate.partitions[0].ingest.add('sn_customerservice_case', { instanceId: 'acme' } as never);
    const res = await request(gw.url).get('/ops/api/queues').set(auth).expect(200);
    const names = res.body.queues.map((q: { name: string }) => q.name);
    expect(names).toEqual(expect.arrayContaining(['ingest', 'deliver', 'dead-letter', 'poll']));
    const ingest = res.body.queues.find((q: { name: string }) => q.name === 'ingest');
    expect(ingest.counts).toMatchObject({ waiting: 1, active: 0, delayed: 0, completed: 0, failed: 0 });
    await gw.snowgate.partitions[0].ingest.drain();
  });

  it('when jobs failed, then they are listed by instance and type and can be retried one by one or in bulk', async () => {
    const [first, , third] = await failIngestJobs([
      { name: 'sn_customerservice_case', instanceId: 'acme' },
      { name: 'sys_journal_field', instanceId: 'acme' },
      { name: 'sn_customerservice_case', instanceId: 'other' },
    ]);
    const all = await request(gw.url).get('/ops/api/failed').set(auth).expect(200);
    expect(all.body.jobs).toHaveLength(3);
    const acmeCases = await request(gw.url).get('/ops/api/failed').query({ instance: 'acme', type: 'sn_customerservice_case', queue: 'ingest' }).set(auth).expect(200);
    expect(acmeCases.body.jobs).toEqual([expect.objectContaining({ id: first, queue: 'ingest', instanceId: 'acme', failedReason: 'ServiceNow said no' })]);
    const future = await request(gw.url).get('/ops/api/failed').query({ from: new Date(Date.now() + 60_000).toISOString() }).set(auth).expect(200);
    expect(future.body.jobs).toEqual([]);
    await request(gw.url).get('/ops/api/failed').query({ from: 'yesterday-ish' }).set(auth).expect(400);

    await request(gw.url).post(`/ops/api/failed/ingest/${first}/retry`).set(auth).expect(200);
    expect(await (await gw.snowgate.partitions[0].ingest.getJob(first))!.getState()).toBe('waiting');
    await request(gw.url).post(`/ops/api/failed/ingest/${first}/retry`).set(auth).expect(409);
    await request(gw.url).post('/ops/api/failed/nope/1/retry').set(auth).expect(404);

    await request(gw.url).post('/ops/api/failed/retry').set(auth).send({}).expect(400);
    const bulk = await request(gw.url).post('/ops/api/failed/retry').set(auth).send({ instance: 'other' }).expect(200);
    expect(bulk.body).toMatchObject({ retried: 1, jobs: [expect.objectContaining({ id: third })] });
    expect(await gw.snowgate.partitions[0].ingest.getFailedCount()).toBe(1);
  });

  it('when events were dead-lettered, then they are listed and replayed under a new job id with the same event id', async () => {
    const entry = (id: string, instanceId: string, type: string) => ({
      event: { specversion: '1.0', id, type, source: 'https://acme.service-now.com/sn_customerservice_case', subject: 'a'.repeat(32), time: '2026-11-22T10:00:00Z', data: {} },
      instanceId, reason: 'retries_exhausted' as const, message: '503', attempts: [], deliveryJobId: id, deadLetteredAt: Date.now(),
    });
    await delivery.deadLetters.add(entry('evt-1', 'acme', 'com.servicenow.case.updated'));
    await delivery.deadLetters.add(entry('evt-2', 'acme', 'com.servicenow.comment.created'));
    await delivery.deadLetters.add(entry('evt-3', 'other', 'com.servicenow.case.updated'));

    const listed = await request(gw.url).get('/ops/api/dead-letters').query({ instance: 'acme' }).set(auth).expect(200);
    expect(listed.body.events.map((e: { eventId: string }) => e.eventId).sort()).toEqual(['evt-1', 'evt-2']);

    const one = await request(gw.url).post('/ops/api/dead-letters/evt-1/replay').set(auth).expect(200);
    expect(one.body).toMatchObject({ eventId: 'evt-1', jobId: 'evt-1-r1', from: 'dead-letter' });
    const job = (await delivery.queue.getJob('evt-1-r1')) as Job | undefined;
    expect(job?.data.event.id).toBe('evt-1');

    const bulk = await request(gw.url).post('/ops/api/dead-letters/replay').set(auth).send({ type: 'com.servicenow.case.updated' }).expect(200);
    expect(bulk.body.replayed).toBe(1);
    expect(await delivery.deadLetters.count()).toBe(1);
  });
});
