import { once } from 'node:events';
import { QueueKeys } from 'bullmq';
import { readEnv } from '../../src/config/env';
import { webhookIdFor } from '../../src/ingest/webhook-fields';
import { InstanceRegistry } from '../../src/instances/instance-registry';
import { InstanceStore } from '../../src/instances/instance-store';
import type { InstanceSync } from '../../src/instances/instance-sync';
import { ensureRedis } from '../../src/lib/ensure-redis';
import { silentLogger } from '../../src/lib/logger';
import { closeRedis, connectRedis } from '../../src/lib/redis-connections';
import { QUEUE_NAMES } from '../../src/queues/queue-names';
import { webhookBody } from '../../src/simulator/webhook-emitter';
import { keysOn, onNode, ownerOf, startRedisCluster, type RedisCluster } from '../helpers/redis-cluster';
import { patchCase, startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';
import { newSecret, signedHeaders } from '../helpers/webhook-signing';

const CASES = 'sn_customerservice_case';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const keyslot = (key: string) => onNode(cluster.ports[0]!, (r) => r.cluster('KEYSLOT', key));

describe('Redis Cluster: webhook → enrichment → delivery on a 3-master cluster', () => {
  jest.setTimeout(60_000);
  let p: TestPipeline | undefined;
  let prefix: string;

  beforeAll(async () => {
    p = await startTestPipeline({
      redisUrl: cluster.seeds,
      env: { REDIS_CLUSTER: 'true', SNOWGATE_DELIVERY_SCHEDULE: '50ms,100ms,200ms,400ms,800ms,1600ms,3200ms' },
      // polling too, on a long interval (it only schedules), so the poller's keys are on the cluster as well
      configuration: { 'event.vendor.type': 'webhooks,polling', 'event.poller.refresh_interval': '5' },
    });
    prefix = p.gateway.settings.queuePrefix;
    // The request path fails fast until its cluster client is ready: wait for readiness, not for luck
    const readyz = `${p.gateway.url}/readyz`;
    for (let i = 0; i < 150 && (await fetch(readyz)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  }, 60_000);

  afterAll(async () => {
    await p?.close();
  });

  it('when a case changes in ServiceNow, then its webhook is accepted and the subscriber gets one signed CloudEvent with the enriched state', async () => {
    const kase = p!.sim.store.list(CASES)[0]!;
    await patchCase(p!.sim.url, kase.sys_id, { short_description: 'Printer on fire (cluster)', priority: '1' });
    const [got] = await p!.subscriber.waitFor(1, 20_000);
    await p!.sim.webhooksIdle();
    expect(p!.sim.stats.webhooks).toMatchObject({ sent: 1, failed: 0 });
    const received = await p!.gateway.snowgate.metrics.registry.getSingleMetric('snowgate_webhooks_received_total')!.get();
    expect(received.values.find((v) => v.labels.outcome === 'accepted')?.value).toBe(1);

    expect(got!.signatureValid).toBe(true);
    const event = got!.event!;
    expect(event.type).toBe('com.servicenow.case.updated');
    expect(event.subject).toBe(kase.sys_id);
    const data = event.data as Record<string, any>;
    expect(data.record.short_description).toBe('Printer on fire (cluster)');
    expect(data.display_values.priority).toBe('1 - Critical');
    expect(data.account?.display_value).toBeTruthy();
  });

  it('when the same webhook arrives twice, then 202 queued, then 200 duplicate with the first id, and one event is delivered', async () => {
    const pipeline = p!;
    const before = pipeline.subscriber.events.length;
    const kase = pipeline.sim.store.list(CASES)[1]!;
    // The change is made with the business rule off: the test plays the rule and its retry itself
    pipeline.sim.setWebhookTarget(null);
    const record = pipeline.sim.store.update(CASES, kase.sys_id, { short_description: 'sent twice' })!;
    pipeline.sim.setWebhookTarget({ gatewayUrl: pipeline.gateway.url, instanceId: pipeline.instanceId, secret: pipeline.webhookSecret });
    const body = webhookBody({ table: CASES, operation: 'update', record });
    const id = webhookIdFor(kase.sys_id, 'update', record.sys_mod_count!);
    const post = async () => {
      const r = await fetch(`${pipeline.gateway.url}/webhooks/${pipeline.instanceId}/${CASES}`, {
        method: 'POST',
        headers: signedHeaders(pipeline.webhookSecret, id, body),
        body,
      });
      return { status: r.status, body: (await r.json()) as { id: string; status: string } };
    };

    const first = await post();
    const second = await post();
    expect(first).toMatchObject({ status: 202, body: { status: 'queued' } });
    expect(second).toEqual({ status: 200, body: { id: first.body.id, status: 'duplicate' } });

    const [got] = (await pipeline.subscriber.waitFor(before + 1, 20_000)).slice(before);
    expect(got!.event?.id).toBe(first.body.id);
    expect((got!.event?.data as any).record.short_description).toBe('sent twice');
    expect(await pipeline.gateway.queue.getJob(first.body.id)).toBeDefined();
  });

  it('when an instance is created through the admin API, then another process learns of it through pub/sub on the cluster', async () => {
    const target = { url: cluster.seeds, cluster: true };
    const producer = connectRedis(target, 'producer');
    producer.on('error', () => undefined);
    const registry = new InstanceRegistry();
    const store = new InstanceStore({ redis: producer, target, prefix, encryptionKey: p!.gateway.settings.encryptionKey });
    let sync: InstanceSync | undefined;
    try {
      sync = await store.startSync(registry);
      const changed = once(registry, 'change');
      const res = await fetch(`${p!.gateway.url}/instances`, {
        method: 'POST',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Cluster Created',
          configuration: { 'servicenow.instance_url': 'https://acme.service-now.com', 'authentication.type': 'basic', username: 'admin', password: 'pa55word-very-secret', 'webhook.secret': newSecret() },
        }),
      });
      expect(res.status).toBe(201);
      expect(await changed).toEqual(['cluster-created']);
      expect(registry.get('cluster-created')?.name).toBe('Cluster Created');
    } finally {
      await sync?.close();
      await closeRedis(producer);
    }
  });

  it('readiness and the queue-depth metric work against the cluster', async () => {
    const ready = await fetch(`${p!.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${p!.gateway.url}/metrics`, { headers: ADMIN });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/snowgate_queue_jobs\{[^}]*queue="ingest"/);
  });

  it("every key the gateway wrote hashes to the prefix's slot and lives on the master that serves it", async () => {
    const slot = await keyslot(prefix);
    const owner = await ownerOf(cluster.ports[0]!, slot);
    expect(await onNode(owner, (r) => r.cluster('COUNTKEYSINSLOT', slot))).toBeGreaterThan(0);

    const byNode = await Promise.all(cluster.ports.map(async (port) => ({ port, keys: await keysOn(port) })));
    for (const { port, keys } of byNode.filter((n) => n.port !== owner)) expect({ port, keys }).toEqual({ port, keys: [] });
    const keys = byNode.find((n) => n.port === owner)!.keys;
    // The kinds of keys the walk leaves behind: queues, stored instances, tokens, the state cache, the poller
    const kinds = [':ingest:', ':deliver:', ':poll:', ':instances', ':tokens:', ':state:', ':poller:'];
    expect(kinds.filter((kind) => !keys.some((k) => k.includes(kind)))).toEqual([]);
    const misplaced: string[] = [];
    for (const key of keys) if (!key.startsWith(prefix) || (await keyslot(key)) !== slot) misplaced.push(key);
    expect(misplaced).toEqual([]);
  });

  it('when the gateway closes, then its keys are removed from every master', async () => {
    await p!.close();
    p = undefined;
    const left = (await Promise.all(cluster.ports.map((port) => keysOn(port, `${prefix}*`)))).flat();
    expect(left).toEqual([]);
  });
});

describe('Redis Cluster: key naming', () => {
  it("every key shape the product builds for one deployment hashes to the prefix's slot", async () => {
    const prefix = '{snowgate}';
    const [instance, table, sysId] = ['acme', CASES, '46d44a5fdb1b1010a0ed2b3cd3961985'];
    const lane = `${prefix}:lane:{${instance}:${table}:${sysId}}`;
    const keys = [
      ...Object.values(QUEUE_NAMES).flatMap((name) => [
        ...Object.values(new QueueKeys(prefix).getKeys(name)),
        `${prefix}:${name}:some-job-id`,
        `${prefix}:${name}:de:${instance}|${table}|${sysId}|3`,
        `${prefix}:${name}:repeat:poll-${instance}`,
      ]),
      `${prefix}:instances`, // src/instances/instance-store.ts (and its channel, `:instances:changes`)
      `${prefix}:tokens:${instance}`, // src/servicenow/token-store.ts
      `${prefix}:tokens:${instance}:lock`,
      `${prefix}:tokens:authorize:0123abcd`,
      lane, // src/queues/record-lanes.ts
      `${lane}:joined`,
      `${prefix}:state:{${instance}:${table}:${sysId}}`, // src/enrichment/state-cache.ts
      `${prefix}:delivery-subscribers:disabled`, // src/events/subscriber-status.ts
      `${prefix}:delivery-replays:6f1c1f3e-0f1b-4d53-9f57-1d1c3f5e8a11`, // src/queues/delivery-replayer.ts
      `${prefix}:poller:watermarks:${instance}`, // src/poller/*
      `${prefix}:poller:backfill:${instance}`,
      `${prefix}:poller:lock:${instance}`,
    ];
    const slot = await keyslot(prefix);
    const slots = await Promise.all(keys.map(async (key) => [key, await keyslot(key)] as const));
    expect(slots.filter(([, s]) => s !== slot)).toEqual([]);
  });

  it('with REDIS_CLUSTER=true, a queue prefix without a hash tag stops start-up naming the variable', () => {
    const env = { REDIS_URL: cluster.seeds, REDIS_CLUSTER: 'true' };
    for (const bad of ['snowgate', 'snow{}gate', 'snow{gate']) {
      expect(() => readEnv({ ...env, SNOWGATE_QUEUE_PREFIX: bad })).toThrow(/SNOWGATE_QUEUE_PREFIX/);
    }
    expect(readEnv({ ...env, SNOWGATE_QUEUE_PREFIX: 'sg{blue}' }).queuePrefix).toBe('sg{blue}');
    expect(readEnv({ ...env, SNOWGATE_QUEUE_PREFIX: 'snowgate', REDIS_CLUSTER: 'false' }).queuePrefix).toBe('snowgate');
  });
});

describe('Redis Cluster: start-up', () => {
  it('when REDIS_URL holds cluster seeds, then ensureRedis finds the cluster and starts no private redis-server', async () => {
    await expect(ensureRedis(cluster.seeds, true, '/nonexistent/never-used', silentLogger)).resolves.toBeUndefined();
  });
});
