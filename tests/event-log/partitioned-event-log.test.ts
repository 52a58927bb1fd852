import { Redis } from 'ioredis';
import { createEventLog, type EventLog } from '../../src/event-log/event-log';
import type { EventCursor, EventQuery } from '../../src/event-log/event-query';
import type { ChangeJob } from '../../src/queues/change-job';
import { PartitionLayout } from '../../src/queues/partition-layout';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';
import { changeJob as change } from './change-fixture';

const CASE = 'sn_customerservice_case';
const INCIDENT = 'incident';

/** Newest first, as the list orders: received time, then id, both descending. */
const newestFirst = (a: ChangeJob, b: ChangeJob) => b.receivedAt - a.receivedAt || (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0);

describe('event log over 3 partitions, on real Redis', () => {
  const redis = new Redis(SHARED_REDIS_URL);
  const prefix = uniquePrefix('evlog-parts');
  const layout = new PartitionLayout(prefix, 3);
  const record = change(0, { instanceId: 'globex' });
  const start = Date.now() - 60_000;
  // 36 events of 3 instances, two by two at the same time (ties are ordered by id), 6 of them of one record
  const changes = Array.from({ length: 36 }, (_, i) =>
    change(i + 1, {
      instanceId: ['acme', 'globex', 'initech'][i % 3],
      table: i % 4 === 0 ? INCIDENT : CASE,
      receivedAt: start + Math.floor(i / 2) * 10,
      ...(i % 6 === 1 ? { sysId: record.sysId, record: record.record } : {}),
    }),
  );
  let log: EventLog;

  /** Every page of a query, following the cursor. */
  async function pages(query: Omit<EventQuery, 'cursor'>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: EventCursor | undefined;
    do {
      const page = await log.store.list({ ...query, cursor });
      expect(page.events.length).toBeLessThanOrEqual(query.limit);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.next;
    } while (cursor);
    return seen;
  }

  beforeAll(async () => {
    log = createEventLog({ recordTo: redis, readFrom: redis, layout, days: 7, maxPerInstance: 1000 });
    for (const c of changes) log.changes.accepted(c);
    log.recorder.flush();
    await redis.ping();
  });

  afterAll(async () => {
    await deleteKeys(SHARED_REDIS_URL, `${prefix.slice(0, -1)}*`);
    redis.disconnect();
  });

  it('when events of several instances are recorded, then they and their indexes lie under more than one partition prefix, none under the base', async () => {
    const used: string[] = [];
    for (const p of layout.prefixes) {
      const ids = await redis.zrange(`${p}:evlog:all`, '0', '-1');
      if (ids.length === 0) continue;
      used.push(p);
      expect(await redis.exists(...ids.map((id) => `${p}:evlog:meta:${id}`))).toBe(ids.length);
    }
    expect(new Set(used).size).toBeGreaterThanOrEqual(2);
    expect(await redis.exists(`${prefix}:evlog:all`, `${prefix}:evlog:instance:acme`)).toBe(0);
    expect(log.recorder.failed).toBe(0);
  });

  it('when the whole log is paged newest first, then every event comes once, in received order across partitions', async () => {
    const expected = [...changes].sort(newestFirst).map((c) => c.eventId);
    expect(await pages({ limit: 5 })).toEqual(expected);
    expect(await pages({ limit: 500 })).toEqual(expected);
  });

  it('when a filter is applied after the index (instance and table), then the pages hold exactly the matching events in order', async () => {
    const matching = changes.filter((c) => c.instanceId === 'acme' && c.table === INCIDENT).sort(newestFirst);
    expect(matching.length).toBeGreaterThan(1);
    expect(await pages({ instanceId: 'acme', table: INCIDENT, limit: 2 })).toEqual(matching.map((c) => c.eventId));
    expect(await pages({ table: CASE, limit: 7 })).toEqual(changes.filter((c) => c.table === CASE).sort(newestFirst).map((c) => c.eventId));
  });

  it('when an event is asked for by id, or searched by sys_id or record number, then it is found in whichever partition holds it', async () => {
    for (const c of changes) expect(await log.store.get(c.eventId)).toMatchObject({ id: c.eventId, instanceId: c.instanceId });
    const ofRecord = changes.filter((c) => c.sysId === record.sysId).sort(newestFirst).map((c) => c.eventId);
    expect(ofRecord).toHaveLength(6);
    expect(await pages({ q: record.sysId.toUpperCase(), limit: 4 })).toEqual(ofRecord);
    expect(await pages({ q: String(record.record.number), limit: 50 })).toEqual(ofRecord);
    const lone = changes[4];
    expect((await log.store.list({ q: lone.eventId, limit: 10 })).events.map((e) => e.id)).toEqual([lone.eventId]);
  });

  it('when an instance has more events than SNOWGATE_EVENT_LOG_MAX, then about that many are kept (a third per partition) and the others are dropped with their keys', async () => {
    const trimmed = createEventLog({ recordTo: redis, readFrom: redis, layout, days: 7, maxPerInstance: 6 });
    const many = Array.from({ length: 30 }, (_, i) => change(i, { instanceId: 'trimmed', receivedAt: start + i }));
    for (const c of many) trimmed.changes.accepted(c);
    trimmed.recorder.flush();
    await redis.ping();

    const kept = await pages({ instanceId: 'trimmed', limit: 50 });
    expect(kept.length).toBeGreaterThanOrEqual(4);
    expect(kept.length).toBeLessThanOrEqual(6);
    for (const p of layout.prefixes) expect(await redis.zcard(`${p}:evlog:instance:trimmed`)).toBeLessThanOrEqual(2);
    const dropped = many.filter((c) => !kept.includes(c.eventId));
    for (const c of dropped) expect(await log.store.get(c.eventId)).toBeUndefined();
    expect(await pages({ q: many[0].sysId, limit: 5 })).toEqual(kept.includes(many[0].eventId) ? [many[0].eventId] : []);
  });
});
