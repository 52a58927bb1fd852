import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';

/**
 * A BullMQ Queue handle on a shared connection that never makes its caller wait on Redis: no wait for the
 * connection to be ready, no server-version check (the request path fails fast while Redis is down;
 * workers check the version when they connect).
 */
export function openQueue<T>(name: string, connection: RedisClient, prefix: string, defaultJobOptions?: JobsOptions): Queue<T, unknown, string> {
  return new Queue<T, unknown, string>(name, { connection, prefix, skipWaitingForReady: true, skipVersionCheck: true, defaultJobOptions });
}
