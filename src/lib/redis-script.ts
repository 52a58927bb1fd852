import type { RedisClient } from './redis-connections';

/** Calls a Lua script: its keys first, then its arguments. */
export type RedisScript = (...keysThenArgs: string[]) => Promise<unknown>;

/**
 * A Lua script defined once on a connection (ioredis sends EVALSHA, falling back to EVAL after a Redis
 * restart), so the script body is not sent with every call. Without `numberOfKeys`, each call passes the
 * number of keys first.
 */
export function redisScript(redis: RedisClient, name: string, numberOfKeys: number | undefined, lua: string): RedisScript {
  const commands = redis as unknown as Record<string, RedisScript>;
  if (!commands[name]) redis.defineCommand(name, { numberOfKeys, lua });
  return (...args) => commands[name].apply(redis, args);
}
