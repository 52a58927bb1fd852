import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ConfigError } from './errors';
import type { Logger } from './logger';

async function seedAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** True when Redis answers PING at `url`, or (cluster seeds, comma-separated) at any one of them. */
export async function redisAnswers(url: string): Promise<boolean> {
  const results = await Promise.all(url.split(',').map((seed) => seedAnswers(seed.trim())));
  return results.includes(true);
}

/**
 * Makes sure Redis answers at `url` (cluster seeds, comma-separated: at one of them). If it does not,
 * the URL was not set explicitly and `redis-server` is on the PATH, starts a private one (AOF on, data
 * under `dataDir`) and returns its process; otherwise throws a one-line instruction.
 */
export async function ensureRedis(url: string, explicit: boolean, dataDir: string, logger: Logger): Promise<ChildProcess | undefined> {
  if (await redisAnswers(url)) return undefined;
  if (explicit) throw new ConfigError(`REDIS_URL: nothing answers at ${url}; start Redis there or unset REDIS_URL`);
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new ConfigError(`Nothing answers at ${url} and redis-server is not installed: install Redis (apt-get install redis-server) or set REDIS_URL`);
  }
  const port = Number(new URL(url).port || 6379);
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    if (await redisAnswers(url)) {
      logger.info(`started a private redis-server on 127.0.0.1:${port} (data in ${dir})`);
      return child;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new ConfigError(`Could not start redis-server on port ${port}; start Redis yourself or set REDIS_URL`);
}
