import type { RedisClient } from '../lib/redis-connections';

/** How long WAIT may take before an accept is answered 503: inside the request path's 1.5 s enqueue budget. */
export const REPLICA_WAIT_TIMEOUT_MS = 1000;

/**
 * Resolves once the master holding a partition has copied this connection's writes to its replicas; rejects
 * when fewer than asked acknowledged in time. A no-op unless replicas are asked for.
 */
export type ReplicaAck = () => Promise<void>;

/**
 * `WAIT replicas timeout` on the master that took a partition's writes (SNOWGATE_REDIS_WAIT_REPLICAS). WAIT counts
 * only the writes of the connection it runs on, so it must reach the very connection the job went through. A
 * single Redis has one. ioredis Cluster keeps one connection per node and routes a pipeline by its keys' slot: a
 * pipeline of a read of the partition's slot followed by WAIT (which has no key) runs on the slot master's
 * connection — the one BullMQ's add used, since the add's keys are in that slot too.
 */
export function replicaAck(redis: RedisClient, prefix: string, replicas: number, timeoutMs = REPLICA_WAIT_TIMEOUT_MS): ReplicaAck {
  if (replicas <= 0) return async () => undefined;
  return async () => {
    const results = await redis.pipeline().exists(`${prefix}:replica-ack`).call('WAIT', String(replicas), String(timeoutMs)).exec();
    const [error, acknowledged] = results?.[1] ?? [new Error('no answer to WAIT'), 0];
    if (error) throw error;
    if (Number(acknowledged) < replicas) throw new Error(`${acknowledged} of ${replicas} replicas acknowledged the write within ${timeoutMs} ms`);
  };
}
