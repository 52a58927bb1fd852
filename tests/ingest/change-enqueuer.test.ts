import crypto from 'node:crypto';
import { ChangeEnqueuer } from '../../src/ingest/change-enqueuer';
import { closeRedis, connectRedis, type RedisClient } from '../../src/lib/redis-connections';
import { ChangeClaims, CLAIM_TTL_MS } from '../../src/queues/change-claims';
import type { ChangeJob } from '../../src/queues/change-job';
import { createIngestQueue, type IngestQueue } from '../../src/queues/ingest-queue';
import { createIntakeQueue, type IntakeQueue } from '../../src/queues/intake-queue';
import { fanOut } from '../../src/workers/intake-worker';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';

const prefix = uniquePrefix('enq');
let redis: RedisClient;
let intake: IntakeQueue;
let ingest: IngestQueue;
let claims: ChangeClaims;

beforeAll(() => {
  redis = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
  intake = createIntakeQueue(redis, prefix);
  ingest = createIngestQueue(redis, prefix);
  claims = new ChangeClaims(redis, prefix);
});
afterAll(async () => {
  await intake.close();
  await ingest.close();
  await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
  await closeRedis(redis);
});

/** A change report: a new event id each call, the same change for the same record and mod count. */
function report(sysId: string, modCount = '1'): ChangeJob {
  return { eventId: crypto.randomUUID(), instanceId: 'acme', table: 'sn_customerservice_case', sysId, operation: 'update', sysUpdatedOn: '2026-11-22 10:00:00', sysModCount: modCount, record: { number: 'CS0001' }, source: 'webhook', receivedAt: Date.now() };
}
const record = () => crypto.randomBytes(16).toString('hex');
const ingestIds = async () => (await ingest.getJobs(['waiting'], 0, -1)).map((j) => j.id).sort();

describe('ChangeClaims', () => {
  it('the first event id to claim a change owns it for 24 h; later claims get that owner; the owner may claim again', async () => {
    const sysId = record();
    const [first, second] = [report(sysId), report(sysId)];
    expect(await claims.claim([first])).toEqual([first.eventId]);
    expect(await claims.claim([second])).toEqual([first.eventId]);
    expect(await claims.claim([first])).toEqual([first.eventId]);
    const ttl = await redis.pttl(claims.key(first));
    expect(ttl).toBeGreaterThan(CLAIM_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(CLAIM_TTL_MS);
  });

  it('another version of the record, or its delete, is another change', async () => {
    const sysId = record();
    const changes = [report(sysId, '1'), report(sysId, '2'), { ...report(sysId, '2'), operation: 'delete' as const }];
    expect(await claims.claim(changes)).toEqual(changes.map((c) => c.eventId));
  });
});

describe('ChangeEnqueuer', () => {
  it('a group of concurrent enqueues becomes one intake job, in order, which Redis holds before any promise resolves', async () => {
    const enqueuer = new ChangeEnqueuer({ intake, ingest, claims });
    const changes = Array.from({ length: 25 }, () => report(record()));
    const results = await Promise.all(changes.map((c) => enqueuer.enqueue(c)));
    expect(results).toEqual(changes.map((c) => ({ id: c.eventId, duplicate: false })));
    const batches = (await intake.getJobs(['waiting'], 0, -1)).filter((j) => j.data.changes.some((c) => c.eventId === changes[0].eventId));
    expect(batches).toHaveLength(1);
    expect(batches[0].data.changes.map((c) => c.eventId)).toEqual(changes.map((c) => c.eventId));
  });

  it('a group goes as an intake job only while the process is saturated, else straight to ingest jobs', async () => {
    let saturated = false;
    const enqueuer = new ChangeEnqueuer({ intake, ingest, claims }, { saturated: () => saturated });
    const inIntake = async (c: ChangeJob) => (await intake.getJobs(['waiting'], 0, -1)).some((j) => j.data.changes.some((x) => x.eventId === c.eventId));
    const calm = Array.from({ length: 10 }, () => report(record()));
    await Promise.all(calm.map((c) => enqueuer.enqueue(c)));
    for (const c of calm) expect([await inIntake(c), (await ingest.getJob(c.eventId))?.data]).toEqual([false, c]);
    saturated = true;
    const busy = Array.from({ length: 10 }, () => report(record()));
    await Promise.all(busy.map((c) => enqueuer.enqueue(c)));
    for (const c of busy) expect([await inIntake(c), await ingest.getJob(c.eventId)]).toEqual([true, undefined]);
  });

  it('a small group goes straight to ingest jobs (job id = event id), no intake job', async () => {
    const intakeBefore = (await intake.getJobs(['waiting'], 0, -1)).length;
    const changes = [report(record()), report(record())];
    await Promise.all(changes.map((c) => new ChangeEnqueuer({ intake, ingest, claims }).enqueue(c)));
    for (const c of changes) expect((await ingest.getJob(c.eventId))?.data).toEqual(c);
    expect((await intake.getJobs(['waiting'], 0, -1)).length).toBe(intakeBefore);
  });

  it('a change reported twice in one group, or again later, is a duplicate answering with the first event id', async () => {
    const enqueuer = new ChangeEnqueuer({ intake, ingest, claims });
    const sysId = record();
    const [a, b, c] = [report(sysId), report(sysId), report(sysId)];
    expect(await Promise.all([enqueuer.enqueue(a), enqueuer.enqueue(b)])).toEqual([{ id: a.eventId, duplicate: false }, { id: a.eventId, duplicate: true }]);
    expect(await enqueuer.enqueue(c)).toEqual({ id: a.eventId, duplicate: true });
  });

  it('a change accepted straight into ingest is a duplicate when it comes again in a group, and the other way round', async () => {
    const straight = new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom: 1000 });
    const grouped = new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom: 1 });
    const [one, two] = [record(), record()];
    const first = report(one);
    expect(await straight.enqueue(first)).toEqual({ id: first.eventId, duplicate: false });
    expect(await grouped.enqueue(report(one))).toEqual({ id: first.eventId, duplicate: true });
    const second = report(two);
    expect(await grouped.enqueue(second)).toEqual({ id: second.eventId, duplicate: false });
    expect(await straight.enqueue(report(two))).toEqual({ id: second.eventId, duplicate: true });
    expect(await ingest.getJob(second.eventId)).toBeUndefined(); // a duplicate creates no ingest job
  });

  it('groups are capped at maxBatch changes per intake job', async () => {
    const enqueuer = new ChangeEnqueuer({ intake, ingest, claims }, { maxBatch: 10 });
    const changes = Array.from({ length: 25 }, () => report(record()));
    await Promise.all(changes.map((c) => enqueuer.enqueue(c)));
    const ids = new Set(changes.map((c) => c.eventId));
    const sizes = (await intake.getJobs(['waiting'], 0, -1)).filter((j) => j.data.changes.some((c) => ids.has(c.eventId))).map((j) => j.data.changes.length);
    expect(sizes.sort((x, y) => x - y)).toEqual([5, 10, 10]);
  });
});

describe('fanOut', () => {
  it('queues one ingest job per owned change (job id = event id), skips duplicates, and queues nothing new when run again', async () => {
    await ingest.drain();
    const enqueuer = new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom: 1 });
    const sysId = record();
    const changes = [report(sysId), report(sysId), report(record())];
    await Promise.all(changes.map((c) => enqueuer.enqueue(c)));
    const [batch] = (await intake.getJobs(['waiting'], 0, -1)).filter((j) => j.data.changes.some((c) => c.eventId === changes[0].eventId));
    expect(await fanOut(batch.data, { claims, ingest })).toEqual({ changes: 3, queued: 2, duplicates: 1 });
    expect(await fanOut(batch.data, { claims, ingest })).toEqual({ changes: 3, queued: 2, duplicates: 1 });
    expect(await ingestIds()).toEqual([changes[0].eventId, changes[2].eventId].sort());
    expect((await ingest.getJob(changes[0].eventId))?.data).toEqual(changes[0]);
  });

  it('a request that died between queueing and claiming: its change is claimed at fan-out, and a retry of it is then a duplicate', async () => {
    await ingest.drain();
    const died = report(record());
    await intake.add('changes', { changes: [died] }); // queued, never claimed, never answered
    expect(await fanOut({ changes: [died] }, { claims, ingest })).toMatchObject({ queued: 1 });
    const retry = { ...died, eventId: crypto.randomUUID() };
    expect(await new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom: 1 }).enqueue(retry)).toEqual({ id: died.eventId, duplicate: true });
    expect(await fanOut({ changes: [retry] }, { claims, ingest })).toMatchObject({ queued: 0, duplicates: 1 });
    expect(await ingestIds()).toEqual([died.eventId]);
  });

  it.each([
    ['alone (straight to ingest)', 1000],
    ['in a group (an intake job)', 1],
  ])('…and when the retry, sent %s, is claimed before the dead request\'s batch is fanned out, the retry is the one event', async (_path, intakeFrom) => {
    await ingest.drain();
    const died = report(record());
    const retry = { ...died, eventId: crypto.randomUUID() };
    expect(await new ChangeEnqueuer({ intake, ingest, claims }, { intakeFrom }).enqueue(retry)).toEqual({ id: retry.eventId, duplicate: false });
    expect(await fanOut({ changes: [died] }, { claims, ingest })).toMatchObject({ queued: 0, duplicates: 1 });
    expect(await fanOut({ changes: [retry] }, { claims, ingest })).toMatchObject({ queued: 1 });
    expect(await ingestIds()).toEqual([retry.eventId]);
  });
});
