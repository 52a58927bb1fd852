import { Redis, Cluster, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

/** How a connection behaves when Redis goes away. */
export type ConnectionRole =
  /** Request path: commands fail at once while disconnected, so HTTP can answer 503 fast. */
  | 'producer'
  /** Workers and background loops: wait and reconnect forever (BullMQ's production guide). */
  | 'worker';

export interface RedisTarget {
  /** `redis://host:port[/db]`, or a comma-separated list of `redis://` seeds for a Redis Cluster. */
  url: string;
  /** Treat `url` as Redis Cluster seeds. */
  cluster?: boolean;
}

function optionsFor(role: ConnectionRole, label?: string): RedisOptions {
  const common: RedisOptions = {
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 2000),
    connectionName: `snowgate-${role}${label ? `-${label}` : ''}`,
  };
  return role === 'producer'
    ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1500 }
    : { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null };
}

/**
 * Opens one ioredis connection (or cluster client) with the behaviour its role needs. `autoPipelining`
 * sends the commands issued in one event-loop turn as one write: for snowgate's own hot-path commands
 * (state cache, record lanes) — not for connections handed to BullMQ, which manages its own. With Redis Cluster,
 * ioredis groups auto-pipelined commands by the slot of their first argument: every command sent on such a
 * connection must name a key first (not a script's key count), or it is batched with another slot's commands
 * and the whole batch refused. `label` is
 * appended to the connection's name (`snowgate-{role}-{label}`, as CLIENT LIST shows it).
 */
export function connectRedis(target: RedisTarget, role: ConnectionRole, { autoPipelining = false, label }: { autoPipelining?: boolean; label?: string } = {}): RedisClient {
  const options = { ...optionsFor(role, label), ...(autoPipelining ? { enableAutoPipelining: true } : {}) };
  if (target.cluster) {
    const seeds = target.url.split(',').map((u) => {
      const parsed = new URL(u.trim());
      return { host: parsed.hostname, port: Number(parsed.port || 6379) };
    });
    const { enableOfflineQueue, retryStrategy, enableAutoPipelining, ...nodeOptions } = options;
    return new Cluster(seeds, {
      enableOfflineQueue,
      enableAutoPipelining,
      redisOptions: nodeOptions,
      clusterRetryStrategy: retryStrategy,
      enableReadyCheck: true,
    });
  }
  return new Redis(target.url, options);
}

/** Quits a connection politely, falling back to a hard disconnect. */
export async function closeRedis(client: RedisClient): Promise<void> {
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}
