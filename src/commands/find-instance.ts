import type { ResolvedConfig } from '../config/resolve-config';
import type { Instance } from '../instances/instance';
import { InstanceStore } from '../instances/instance-store';
import { parseInstance } from '../instances/parse-instance';
import { redisAnswers } from '../lib/ensure-redis';
import { AppError, ConfigError } from '../lib/errors';
import { connectRedis, type RedisClient } from '../lib/redis-connections';
import { decideSandbox } from '../sandbox/sandbox-decision';
import { recordedSandboxInstance } from '../sandbox/sandbox-identity';
import { SANDBOX_INSTANCE_ID } from '../sandbox/sandbox-instance';

/** An instance as a command found it, and where. */
export interface FoundInstance {
  instance: Instance;
  source: 'config' | 'api' | 'sandbox';
}

/**
 * Opens a connection to the gateway's Redis for a command, or throws one line saying what to do (the command
 * would otherwise wait for Redis forever).
 */
export async function connectCommandRedis({ settings, fromRecordedGateway, local }: ResolvedConfig): Promise<RedisClient> {
  if (!(await redisAnswers(settings.redisUrl))) {
    const where = fromRecordedGateway.includes('REDIS_URL') ? ` (where the gateway last started here had its Redis, ${local.file('gateway.json')})` : '';
    throw new ConfigError(`nothing answers at ${settings.redisUrl}${where}: start the gateway first (npm start runs a private Redis when REDIS_URL is unset), or set REDIS_URL to the gateway's Redis`);
  }
  const redis = connectRedis({ url: settings.redisUrl, cluster: settings.redisCluster }, 'worker');
  redis.on('error', () => undefined);
  return redis;
}

function storeOf({ settings, configInstances }: ResolvedConfig, redis: RedisClient): InstanceStore {
  const target = { url: settings.redisUrl, cluster: settings.redisCluster };
  return new InstanceStore({ redis, target, prefix: settings.queuePrefix, encryptionKey: settings.encryptionKey, configInstances });
}

async function fromStore(resolved: ResolvedConfig, redis: RedisClient, id: string): Promise<Instance | undefined> {
  try {
    return (await storeOf(resolved, redis).get(id)).instance;
  } catch (err) {
    if (err instanceof AppError && err.code === 'unknown_instance') return undefined;
    if (err instanceof AppError && err.code === 'instance_unreadable') {
      const keyHint = resolved.encryptionKeySource === 'env'
        ? 'SNOWGATE_ENCRYPTION_KEY differs from the gateway\'s'
        : `no SNOWGATE_ENCRYPTION_KEY is set and ${resolved.local.file('encryption-key')} ${resolved.encryptionKeySource === 'local' ? 'is not the key it was stored with' : 'does not exist: run the command in the folder where npm start runs'}`;
      throw new ConfigError(`instance "${id}" cannot be decrypted: ${keyHint} (or set the gateway's SNOWGATE_ENCRYPTION_KEY)`);
    }
    throw err;
  }
}

/** The sandbox instance as the running `start` defined it, when the sandbox would run here; else why not. */
async function sandboxInstance(resolved: ResolvedConfig, redis: RedisClient | undefined): Promise<Instance | string> {
  const { settings, configInstances, local } = resolved;
  const storedInstances = redis ? await redis.hlen(storeOf(resolved, redis).hashKey) : 0;
  const decision = decideSandbox({ forced: settings.sandbox, role: 'all', configPath: settings.configPath, configInstances: configInstances.length, storedInstances });
  if (!decision.on) return `the sandbox does not run here: ${decision.reason}`;
  const definition = recordedSandboxInstance(local);
  if (!definition) return `the sandbox has not run in this folder (no ${local.file('sandbox.json')}): start it with npm start here first`;
  return parseInstance(definition);
}

/**
 * Finds an instance the way the running gateway knows it: in SNOWGATE_CONFIG, among those created through the
 * admin API (in Redis, when a connection is given), or — `sandbox` — as `npm start` defined the sandbox in this
 * folder. Throws ConfigError saying why an id is unknown.
 */
export async function findInstance(resolved: ResolvedConfig, id: string, redis?: RedisClient): Promise<FoundInstance> {
  const configured = resolved.configInstances.find((i) => i.id === id);
  if (configured) return { instance: configured, source: 'config' };
  const stored = redis ? await fromStore(resolved, redis, id) : undefined;
  if (stored) return { instance: stored, source: 'api' };
  const where = `not in ${resolved.settings.configPath ?? 'SNOWGATE_CONFIG (unset)'}${redis ? ' nor among the instances stored in Redis' : ''}`;
  if (id !== SANDBOX_INSTANCE_ID) throw new ConfigError(`unknown instance "${id}": ${where}`);
  const sandbox = await sandboxInstance(resolved, redis);
  if (typeof sandbox === 'string') throw new ConfigError(`unknown instance "sandbox": ${sandbox}`);
  return { instance: sandbox, source: 'sandbox' };
}
