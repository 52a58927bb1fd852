import { Cluster, Redis } from 'ioredis';
import { readEnv, type EnvSettings } from '../../src/config/env';
import type { InstanceDefinition } from '../../src/instances/instance';
import { parseInstance } from '../../src/instances/parse-instance';
import { silentLogger } from '../../src/lib/logger';
import { startSnowgate, type RunningSnowgate } from '../../src/main';
import type { ChangeJob } from '../../src/queues/change-job';
import { acceptedChange, acceptedChanges, type AcceptedChangeSources } from './accepted-changes';
import { SHARED_REDIS_URL, uniquePrefix } from './redis-server';

export interface TestGatewayOptions {
  instances: InstanceDefinition[];
  redisUrl?: string;
  role?: EnvSettings['role'];
  env?: Record<string, string>;
}

export interface TestGateway {
  url: string;
  /** Partition 0's BullMQ ingest queue (changes land there once the worker role fanned their intake batch out; the only one by default). */
  queue: RunningSnowgate['partitions'][number]['ingest'];
  /** Every change the gateway accepted (deduplicated), in its intake batch or already an ingest job, partition after partition. */
  accepted(): Promise<ChangeJob[]>;
  /** The accepted change with this event id, if any. */
  acceptedChange(eventId: string): Promise<ChangeJob | undefined>;
  snowgate: RunningSnowgate;
  settings: EnvSettings;
  close(): Promise<void>;
}

/** Unlinks the keys of one node that match a pattern (one key per command: on a cluster node, keys may sit in different slots). */
async function unlinkMatching(node: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await keys.reduce((pipeline, key) => pipeline.unlink(key), node.pipeline()).exec();
    cursor = next;
  } while (cursor !== '0');
}

/**
 * Deletes every key matching a pattern (a test's own prefix), leaving the shared Redis as it was. With
 * `cluster`, `redisUrl` is comma-separated seeds and every master is scanned.
 */
export async function deleteKeys(redisUrl: string, pattern: string, cluster = false): Promise<void> {
  const client = cluster
    ? new Cluster(
        redisUrl.split(',').map((u) => ({ host: new URL(u).hostname, port: Number(new URL(u).port || 6379) })),
        { clusterRetryStrategy: () => null, redisOptions: { maxRetriesPerRequest: 1 } },
      )
    : new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    if (client instanceof Cluster) {
      await client.ping();
      await Promise.all(client.nodes('master').map((node) => unlinkMatching(node, pattern)));
    } else {
      await unlinkMatching(client, pattern);
    }
  } catch {
    // Redis may be down in an outage test: nothing to clean then
  } finally {
    client.disconnect();
  }
}

/** A real gateway (api role by default) on a random loopback port, with its own queue prefix on real Redis. */
export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const settings = readEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: options.redisUrl ?? SHARED_REDIS_URL,
    SNOWGATE_QUEUE_PREFIX: uniquePrefix('gw'),
    SNOWGATE_ADMIN_TOKEN: 'test-admin-token-0123456789',
    SNOWGATE_ROLE: options.role ?? 'api',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const snowgate = await startSnowgate({ settings, instances: options.instances.map((d) => parseInstance(d)), logger: silentLogger });
  const sources: AcceptedChangeSources[] = snowgate.partitions.map((p) => ({ intake: p.intake, ingest: p.ingest, claims: p.claims, redis: snowgate.commands }));
  return {
    url: snowgate.http?.url ?? '',
    queue: snowgate.partitions[0].ingest,
    accepted: async () => (await Promise.all(sources.map(acceptedChanges))).flat(),
    acceptedChange: async (eventId) => (await Promise.all(sources.map((s) => acceptedChange(s, eventId)))).find((c) => c !== undefined),
    snowgate,
    settings,
    close: async () => {
      await snowgate.close();
      for (const prefix of snowgate.layout.prefixes) await deleteKeys(settings.redisUrl, `${prefix}*`, settings.redisCluster);
      if (snowgate.layout.count > 1) await deleteKeys(settings.redisUrl, `${settings.queuePrefix}*`, settings.redisCluster);
    },
  };
}
