import crypto from 'node:crypto';
import { createEventLog } from '../../src/event-log/event-log';
import { CloudEvent } from 'cloudevents';
import { closeRedis, connectRedis } from '../../src/lib/redis-connections';
import type { ChangeJob } from '../../src/queues/change-job';
import { freePort } from '../helpers/redis-server';

const change: ChangeJob = {
  eventId: crypto.randomUUID(), instanceId: 'acme', table: 'sn_customerservice_case', sysId: 'a'.repeat(32), operation: 'update',
  sysUpdatedOn: '2026-01-01 10:00:00', sysModCount: '3', record: { number: 'CS0001001' }, source: 'webhook', receivedAt: Date.now(),
};

describe('recording when the log cannot be written', () => {
  it('when Redis does not answer, then every stage returns at once without throwing, and each lost stage is counted and the failure reported', async () => {
    const redis = connectRedis({ url: `redis://127.0.0.1:${await freePort()}` }, 'producer', { autoPipelining: true });
    redis.on('error', () => undefined);
    const errors: Error[] = [];
    const log = createEventLog({ recordTo: redis, readFrom: redis, layout: '{sgt-unreachable}', days: 7, maxPerInstance: 10, onError: (err) => errors.push(err) });
    try {
      log.changes.accepted(change, 'req-1');
      log.changes.duplicate(change, change.eventId, 'req-2');
      log.deliveries.onAttempt!({ kind: 'delivered', status: 200, durationMs: 3, eventId: change.eventId, eventType: 'com.servicenow.case.updated', instanceId: 'acme', attempt: 1 });
      log.writes.onDeadLettered!({ writeId: 'w1', instanceId: 'acme', job: { writeId: 'w1', instanceId: 'acme', request: { table: 'incident', operation: 'insert', fields: {} }, origin: { kind: 'direct' }, acceptedAt: Date.now(), attempts: [] }, reason: 'rejected', error: { code: 'bad', message: 'no' }, jobId: 'w1', deadLetteredAt: Date.now() });
      for (let i = 0; i < 100 && log.recorder.failed < 4; i++) await new Promise((r) => setTimeout(r, 20));
      // the four stages of this turn went as one write, which failed: each is counted, the failure reported
      expect(log.recorder.failed).toBe(4);
      expect(errors.length).toBeGreaterThanOrEqual(1);
    } finally {
      await closeRedis(redis);
    }
  });

  it('when a stage cannot even be built (a body that does not serialize), then the error is counted and the caller goes on', () => {
    const redis = connectRedis({ url: 'redis://127.0.0.1:1' }, 'producer');
    redis.on('error', () => undefined);
    const errors: Error[] = [];
    const log = createEventLog({ recordTo: redis, readFrom: redis, layout: '{sgt-unbuildable}', days: 7, maxPerInstance: 10, onError: (err) => errors.push(err) });
    try {
      const data: Record<string, unknown> = { number: 'CS0001001' };
      data.self = data;
      const event = new CloudEvent({ id: change.eventId, type: 'com.servicenow.case.updated', source: 'https://acme/x', data }, false);
      expect(() => log.changes.enriched(change, event, log.changes.traceOf(change))).not.toThrow();
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/circular/i)]);
    } finally {
      redis.disconnect();
    }
  });
});
