import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { createEventLog, type EventLog } from '../../src/event-log/event-log';
import { changeStages } from '../../src/event-log/change-stages';
import { EventRecorder } from '../../src/event-log/event-recorder';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';
import { changeJob as change } from './change-fixture';

const DAY = 86_400_000;

/** Resolves once what the recorders hold was written (they batch for a few ms, and never wait for Redis). */
const settled = async (redis: Redis, ...logs: Array<{ recorder: { flush(): void } }>) => {
  for (const l of logs) l.recorder.flush();
  await redis.ping();
};

describe('event log retention and search, on real Redis', () => {
  const redis = new Redis(SHARED_REDIS_URL);
  const prefix = uniquePrefix('evlog');
  let log: EventLog;

  beforeAll(() => {
    log = createEventLog({ recordTo: redis, readFrom: redis, layout: prefix, days: 7, maxPerInstance: 5 });
  });

  afterAll(async () => {
    await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
    redis.disconnect();
  });

  it('when more events than SNOWGATE_EVENT_LOG_MAX arrive for an instance, then the oldest are dropped with their keys, and other instances keep theirs', async () => {
    const other = change(0, { instanceId: 'globex', receivedAt: Date.now() - 1000 });
    log.changes.accepted(other);
    const changes = Array.from({ length: 8 }, (_, i) => change(i + 1, { receivedAt: Date.now() + i }));
    for (const c of changes) log.changes.accepted(c, `req-${c.sysModCount}`);
    await settled(redis, log);

    const page = await log.store.list({ instanceId: 'acme', limit: 50 });
    expect(page.events.map((e) => e.id)).toEqual(changes.slice(3).reverse().map((c) => c.eventId));
    expect(await redis.exists(log.store.keys.meta(changes[0].eventId), log.store.keys.line(changes[0].eventId))).toBe(0);
    expect(await log.store.get(changes[0].eventId)).toBeUndefined();
    expect((await log.store.list({ limit: 50 })).events.map((e) => e.id)).toContain(other.eventId);
  });

  it('when events are older than SNOWGATE_EVENT_LOG_DAYS, then the next event recorded drops them, and their keys expire by themselves', async () => {
    let now = Date.now() - 8 * DAY;
    const recorder = new EventRecorder(redis, { layout: prefix, days: 7, maxPerInstance: 100, now: () => now });
    const stages = changeStages(recorder);
    const old = change(1, { instanceId: 'initech', receivedAt: now });
    stages.accepted(old);
    await settled(redis, { recorder });
    expect((await log.store.list({ instanceId: 'initech', limit: 10 })).events.map((e) => e.id)).toEqual([old.eventId]);
    const ttl = await redis.pttl(log.store.keys.meta(old.eventId));
    expect(ttl).toBeGreaterThan(6 * DAY);
    expect(ttl).toBeLessThanOrEqual(7 * DAY);

    now = Date.now();
    const fresh = change(2, { instanceId: 'initech' });
    stages.accepted(fresh);
    await settled(redis, { recorder });
    expect((await log.store.list({ instanceId: 'initech', limit: 10 })).events.map((e) => e.id)).toEqual([fresh.eventId]);
    expect(await redis.exists(log.store.keys.meta(old.eventId))).toBe(0);
    expect(await redis.zscore(log.store.keys.at(0).all(), old.eventId)).toBeNull();
  });

  it('when searched by record number, sys_id or event id (any case), then the event is found; a journal entry is found by its parent case', async () => {
    const kase = change(42, { instanceId: 'umbrella' });
    const comment = change(0, { instanceId: 'umbrella', table: 'sys_journal_field', operation: 'insert', record: { element: 'comments', element_id: kase.sysId, value: 'hello' } });
    log.changes.accepted(kase);
    log.changes.accepted(comment);
    await settled(redis, log);

    const byNumber = await log.store.list({ q: kase.record.number.toLowerCase(), limit: 10 });
    expect(byNumber.events.map((e) => e.id)).toEqual([kase.eventId]);
    expect(byNumber.events[0]).toMatchObject({ number: kase.record.number, sysId: kase.sysId, type: 'com.servicenow.case.updated', status: 'queued', source: 'webhook' });
    const bySysId = await log.store.list({ q: kase.sysId.toUpperCase(), limit: 10 });
    expect(bySysId.events.map((e) => e.id).sort()).toEqual([kase.eventId, comment.eventId].sort());
    expect((await log.store.list({ q: kase.sysId, type: 'com.servicenow.comment.created', limit: 10 })).events.map((e) => e.id)).toEqual([comment.eventId]);
    expect((await log.store.list({ q: comment.eventId, limit: 10 })).events.map((e) => e.id)).toEqual([comment.eventId]);
    expect((await log.store.list({ q: 'CS9999999', limit: 10 })).events).toEqual([]);
  });

  it('when a list is paged, then the cursor continues after the last event without repeating or skipping one, even among equal times', async () => {
    const at = Date.now();
    const same = Array.from({ length: 5 }, (_, i) => change(i, { instanceId: 'paged', receivedAt: at }));
    const paged = createEventLog({ recordTo: redis, readFrom: redis, layout: prefix, days: 7, maxPerInstance: 100 });
    for (const c of same) paged.changes.accepted(c);
    await settled(redis, paged);
    const seen: string[] = [];
    let cursor;
    do {
      const page = await paged.store.list({ instanceId: 'paged', limit: 2, cursor });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.next;
    } while (cursor);
    expect(seen.sort()).toEqual(same.map((c) => c.eventId).sort());
  });

  it('when stages arrive out of order (delivered before retrying; a replay\'s own stage after its job delivered), then the status is the latest truth', async () => {
    const c = change(7, { instanceId: 'races' });
    const attempt = (n: number, kind: 'delivered' | 'retryable', jobId: string, retryInMs?: number) =>
      log.deliveries.onAttempt!({ kind, status: kind === 'delivered' ? 200 : 503, durationMs: 5, eventId: c.eventId, eventType: 'com.servicenow.case.updated', instanceId: 'races', attempt: n, jobId, retryInMs });
    log.changes.accepted(c);
    attempt(2, 'delivered', c.eventId);
    attempt(1, 'retryable', c.eventId, 100);
    await settled(redis, log);
    expect((await log.store.summary(c.eventId))?.status).toBe('delivered');

    // replayed: the replay job delivers before the replay's own stage reaches Redis
    attempt(1, 'delivered', `${c.eventId}-r1`);
    log.replayed({ id: c.eventId, instanceId: 'races', kind: 'event', jobId: `${c.eventId}-r1`, replayOf: c.eventId });
    await settled(redis, log);
    const event = await log.store.get(c.eventId);
    expect(event).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(event!.timeline.map((t) => t.stage)).toEqual(['received', 'attempt', 'attempt', 'attempt', 'received']);

    // a replay whose job has not run yet puts the event back in the queue
    log.replayed({ id: c.eventId, instanceId: 'races', kind: 'event', jobId: `${c.eventId}-r2`, replayOf: `${c.eventId}-r1` });
    await settled(redis, log);
    expect((await log.store.summary(c.eventId))?.status).toBe('queued');
  });

  it('when a duplicate arrives for an event the log does not hold, then nothing is written', async () => {
    const ghost = crypto.randomUUID();
    log.changes.duplicate(change(1), ghost, 'req-x');
    await settled(redis, log);
    expect(await redis.exists(log.store.keys.meta(ghost), log.store.keys.line(ghost))).toBe(0);
  });
});
