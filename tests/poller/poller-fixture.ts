import crypto from 'node:crypto';
import { ChangeEnqueuer } from '../../src/ingest/change-enqueuer';
import type { Instance, InstanceDefinition } from '../../src/instances/instance';
import { InstanceRegistry } from '../../src/instances/instance-registry';
import { parseInstance } from '../../src/instances/parse-instance';
import { silentLogger } from '../../src/lib/logger';
import { closeRedis, connectRedis, type RedisClient } from '../../src/lib/redis-connections';
import { startPoller, type Poller, type PollerDeps, type PollerOptions } from '../../src/poller/start-poller';
import type { ChangeJob } from '../../src/queues/change-job';
import { ChangeClaims } from '../../src/queues/change-claims';
import { createIngestQueue, type IngestQueue } from '../../src/queues/ingest-queue';
import { createIntakeQueue, type IntakeQueue } from '../../src/queues/intake-queue';
import { acceptedChanges } from '../helpers/accepted-changes';
import { ClientPool } from '../../src/servicenow/client-pool';
import { TokenManager } from '../../src/servicenow/token-manager';
import { startSimulator, type Simulator } from '../../src/simulator';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { newSecret } from '../helpers/webhook-signing';

/** A polling instance definition against the simulator (basic auth admin/admin, helpdesk defaults). */
export function pollingDefinition(sim: Simulator, configuration: Record<string, unknown> = {}): InstanceDefinition {
  return {
    id: 'acme',
    name: 'acme',
    configuration: {
      'servicenow.instance_url': sim.url,
      'servicenow.allow_private_targets': true,
      'authentication.type': 'basic',
      username: 'admin',
      password: 'admin',
      'webhook.secret': newSecret(),
      capabilities: ['helpdesk'],
      'event.vendor.type': 'polling',
      'event.poller.refresh_interval': '0.02',
      ...configuration,
    },
  };
}

/** Everything a poller test needs: the simulator, real Redis under a unique prefix, the intake and ingest queues. */
export class PollerFixture {
  readonly prefix = uniquePrefix('poll');
  readonly connections: RedisClient[] = [];
  readonly pollers: Poller[] = [];
  redis!: RedisClient;
  intake!: IntakeQueue;
  queue!: IngestQueue;
  claims!: ChangeClaims;
  enqueuer!: ChangeEnqueuer;
  registry!: InstanceRegistry;
  instance!: Instance;
  sim!: Simulator;

  async start(configuration: Record<string, unknown> = {}): Promise<this> {
    this.sim = await startSimulator({ port: 0 });
    this.redis = this.connect();
    this.intake = createIntakeQueue(this.redis, this.prefix);
    this.queue = createIngestQueue(this.redis, this.prefix);
    this.claims = new ChangeClaims(this.redis, this.prefix);
    this.enqueuer = new ChangeEnqueuer({ intake: this.intake, ingest: this.queue, claims: this.claims }, { timeoutMs: 10_000 });
    this.instance = parseInstance(pollingDefinition(this.sim, configuration));
    this.registry = new InstanceRegistry([this.instance]);
    return this;
  }

  connect(): RedisClient {
    const c = connectRedis({ url: SHARED_REDIS_URL }, 'worker');
    this.connections.push(c);
    return c;
  }

  /** A poller as a separate process would run it: its own connection, token manager and clients. */
  async poller(options: PollerOptions = {}, extra: Partial<PollerDeps> = {}): Promise<Poller> {
    const connection = this.connect();
    const tokens = new TokenManager({ redis: connection, encryptionKey: crypto.randomBytes(32), instances: this.registry, keyPrefix: `${this.prefix}:tokens` });
    const clients = new ClientPool(tokens);
    const poller = await startPoller({
      registry: this.registry,
      connection,
      prefix: this.prefix,
      enqueuer: this.enqueuer,
      clientFor: (i) => clients.for(i),
      logger: silentLogger,
      options: { pageSize: 100, ...options },
      ...extra,
    });
    this.pollers.push(poller);
    return poller;
  }

  /** Every change accepted (deduplicated), whether still in its intake batch or already an ingest job. */
  async jobs(): Promise<ChangeJob[]> {
    return acceptedChanges({ intake: this.intake, ingest: this.queue, claims: this.claims, redis: this.redis });
  }

  async stop(): Promise<void> {
    for (const p of this.pollers) await p.close().catch(() => undefined);
    await this.intake?.close().catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    if (this.redis) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await (this.redis as import('ioredis').Redis).scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      if (keys.length) await this.redis.del(...keys);
    }
    for (const c of this.connections) await closeRedis(c);
    await this.sim?.close();
  }
}

/** Waits until `check` holds (polling every 50 ms), failing after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
