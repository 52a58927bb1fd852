import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPartitionsCommand } from '../../src/commands/partitions-command';
import { readEnv } from '../../src/config/env';
import { webhookIdFor } from '../../src/ingest/webhook-fields';
import { silentLogger } from '../../src/lib/logger';
import { startSnowgate } from '../../src/main';
import { changePartitionCount, finishPartitionChange } from '../../src/queues/partition-change';
import { readPartitionRecord } from '../../src/queues/partition-record';
import { startSimulator, type Simulator } from '../../src/simulator';
import { webhookBody } from '../../src/simulator/webhook-emitter';
import { connectRedis, closeRedis, type RedisClient } from '../../src/lib/redis-connections';
import { startEventSubscriber, type EventSubscriber } from '../helpers/event-subscriber';
import { PrivateRedis } from '../helpers/redis-server';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { acmeInstance } from '../helpers/test-pipeline';
import { newSecret, signedHeaders } from '../helpers/webhook-signing';

const CASES = 'sn_customerservice_case';
jest.setTimeout(60_000);

/**
 * A change of the partition count on a running deployment, on a private Redis (the change looks at every
 * gateway process connected): an old gateway (1 partition) keeps running while a new one (3) starts; the
 * subscriber fails throughout, so the old partition still holds each record's first event when its next change
 * arrives.
 */
describe('when the partition count changes from 1 to 3 while the deployment runs', () => {
  let redis: PrivateRedis;
  let sim: Simulator;
  let subscriber: EventSubscriber;
  let control: RedisClient;
  let old: TestGateway | undefined;
  let next: TestGateway | undefined;
  const prefix = '{sgt-change}';
  const webhookSecret = newSecret();
  const signatureKey = newSecret();
  const env = {
    SNOWGATE_QUEUE_PREFIX: prefix,
    SNOWGATE_ENCRYPTION_KEY: Buffer.alloc(32, 6).toString('base64'),
    SNOWGATE_DELIVERY_SCHEDULE: '100ms,200ms,400ms,800ms,1s,1s,1s,1s,1s,1s',
    // no breaker: the first events wait in their old lanes on their retry schedule, not held in order by a breaker
    SNOWGATE_BREAKER_FAILURES: '1000',
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    control = connectRedis({ url: redis.url }, 'worker');
    sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true } });
    subscriber = await startEventSubscriber({ signatureKey, fallback: 500 });
  });
  afterAll(async () => {
    sim.setWebhookTarget(null);
    await old?.snowgate.close();
    await next?.close();
    await closeRedis(control);
    await subscriber.close();
    await sim.close();
    await redis.stop();
  });

  it('then nothing is lost or delivered twice, each record keeps its order across the change, a change seen before stays a duplicate, and the old count is refused from then on', async () => {
    const instance = acmeInstance({ simulatorUrl: sim.url, subscriberUrl: subscriber.url, webhookSecret, signatureKey });
    old = await startTestGateway({ instances: [instance], role: 'all', redisUrl: redis.url, env: { ...env, SNOWGATE_PARTITIONS: '1' } });
    sim.setWebhookTarget({ gatewayUrl: old.url, instanceId: 'acme', secret: webhookSecret });
    const cases = sim.store.list(CASES).slice(0, 6);
    const made: string[] = [];
    const change = (label: string) => {
      for (const kase of cases) made.push(`${kase.sys_id}/${Number(sim.store.update(CASES, kase.sys_id, { short_description: label })!.sys_mod_count)}`);
    };
    change('before the change');
    await sim.webhooksIdle();
    const first = (await old.accepted())[0]!;

    const started = await changePartitionCount(control, prefix, 3);
    expect(started).toMatchObject({ count: 3, previous: 1 });
    await expect(changePartitionCount(control, prefix, 2)).rejects.toThrow(/the change from 1 to 3 partitions is not finished/);
    const refused = readEnv({ ...env, REDIS_URL: redis.url, PORT: '0', LOG_LEVEL: 'silent', SNOWGATE_PARTITIONS: '1' });
    await expect(startSnowgate({ settings: refused, instances: [], logger: silentLogger })).rejects.toThrow(/SNOWGATE_PARTITIONS=1, but this deployment runs 3 partitions/);

    next = await startTestGateway({ instances: [instance], role: 'all', redisUrl: redis.url, env: { ...env, SNOWGATE_PARTITIONS: '3' } });
    sim.setWebhookTarget({ gatewayUrl: next.url, instanceId: 'acme', secret: webhookSecret });
    change('after the change');
    await sim.webhooksIdle();
    // a report of a change accepted under 1 partition is still a duplicate of its first event
    const record = { ...first.record, sys_id: first.sysId, sys_mod_count: first.sysModCount, sys_updated_on: first.sysUpdatedOn };
    const body = webhookBody({ table: CASES, operation: 'update', record });
    const again = await fetch(`${next.url}/webhooks/acme/${CASES}`, { method: 'POST', headers: signedHeaders(webhookSecret, webhookIdFor(first.sysId, 'update', first.sysModCount), body), body });
    expect([again.status, await again.json()]).toEqual([200, { id: first.eventId, status: 'duplicate' }]);

    // while a process of the old count runs, the new partitions' changes wait (none enriched)
    await new Promise((r) => setTimeout(r, 1500));
    const enriched = await Promise.all(next.snowgate.partitions.map((p) => p.ingest.getJobCounts('completed', 'active', 'delayed')));
    expect(enriched.map((c) => c.completed + c.active + c.delayed)).toEqual([0, 0, 0]);

    await old.snowgate.close();
    old = undefined;
    // the new changes are enriched now, and tried while the subscriber still fails: each is behind its record's older one
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const counts = await Promise.all(next.snowgate.partitions.map((p) => p.ingest.getCompletedCount()));
      if (counts.reduce((a, b) => a + b, 0) >= cases.length) break;
    }
    await new Promise((r) => setTimeout(r, 300));
    subscriber.setFallback(204);
    const key = (d: (typeof subscriber.events)[number]) => `${d.event!.subject}/${Number(d.event!.sequence)}`;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      if (new Set(subscriber.events.filter((d) => d.status < 300).map(key)).size >= made.length) break;
    }
    const delivered = subscriber.events.filter((d) => d.status < 300);
    expect(delivered.map(key).sort()).toEqual([...made].sort());
    for (const kase of cases) {
      const sequences = delivered.filter((d) => d.event!.subject === kase.sys_id).map((d) => Number(d.event!.sequence));
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    }
    await expect(finishPartitionChange(control, prefix)).rejects.toThrow(/recognised until/);
    await finishPartitionChange(control, prefix, Date.now() + 25 * 3600_000);
    expect(await readPartitionRecord(control, prefix)).toEqual({ count: 3 });
  });

  it('when an operator runs `snowgate partitions`, then it shows each partition with its prefix and jobs, and the processes connected with their count', async () => {
    const lines: string[] = [];
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-partitions-'));
    await runPartitionsCommand({}, { env: { REDIS_URL: redis.url, SNOWGATE_QUEUE_PREFIX: prefix }, cwd, out: (text) => void lines.push(...text.trim().split('\n')) });
    expect(lines[0]).toBe(`partitions: 3 (recorded at ${prefix}:partitions)`);
    expect(lines.slice(1, 4)).toEqual(next!.snowgate.layout.prefixes.map((p, i) => `partition ${i}  ${p}  waiting 0, active 0, delayed 0, failed 0, dead letters 0`));
    expect(lines[4]).toBe('gateway processes connected: 1 with SNOWGATE_PARTITIONS=3');
    fs.rmSync(cwd, { recursive: true, force: true });
  });
});
