import { AppError, redisUnavailable } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { connectRedis, type RedisClient, type RedisTarget } from '../lib/redis-connections';
import type { Instance } from './instance';
import { decodeInstance, encodeInstance } from './instance-record';
import { applyInstancePatch } from './instance-patch';
import type { InstanceChange } from './instance-change';
import type { InstanceRegistry } from './instance-registry';
import { InstanceSync } from './instance-sync';
import { parseInstance } from './parse-instance';
import type { InstanceSource } from './redact-instance';

/** Options of {@link InstanceStore}. */
export interface InstanceStoreOptions {
  /** A 'producer' connection for reads and writes (fails fast while Redis is down). */
  redis: RedisClient;
  /** Where `startSync` opens its own 'worker' connections (subscriber + reader). */
  target: RedisTarget;
  /** Key prefix, e.g. `{snowgate}`: the hash is `{prefix}:instances`, the channel `{prefix}:instances:changes`. */
  prefix: string;
  /** 32 bytes; secret configuration values are encrypted with it at rest. */
  encryptionKey: Buffer;
  /** Instances of the config file: listed, but read-only here and never stored. */
  configInstances?: readonly Instance[];
  logger?: Logger;
}

/** An instance with where it comes from. */
export interface SourcedInstance {
  instance: Instance;
  source: InstanceSource;
}

const CREATE = `if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('PUBLISH', ARGV[3], ARGV[4]) return 1 end return 0`;
const UPDATE = `if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) redis.call('PUBLISH', ARGV[4], ARGV[5]) return 1`;
const DELETE = `if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then redis.call('PUBLISH', ARGV[2], ARGV[3]) return 1 end return 0`;

/**
 * Instances created through the admin API, kept in one Redis hash (id → definition JSON, secrets
 * encrypted) so that every process serves the same set. Each write and its change notice are one
 * Lua script, so a notice is never lost for a write that happened; `startSync` keeps an
 * InstanceRegistry in step with the store.
 */
export class InstanceStore {
  readonly hashKey: string;
  readonly channel: string;
  private readonly config: Map<string, Instance>;

  constructor(private readonly options: InstanceStoreOptions) {
    this.hashKey = `${options.prefix}:instances`;
    this.channel = `${options.prefix}:instances:changes`;
    this.config = new Map((options.configInstances ?? []).map((i) => [i.id, i]));
  }

  /** True when the id belongs to the read-only config file. */
  isConfigInstance(id: string): boolean {
    return this.config.has(id);
  }

  /** Validates and stores a new instance. Throws 400 `invalid_instance`, 409 `instance_exists`. */
  async create(definition: unknown): Promise<Instance> {
    const instance = parseInstance(definition);
    if (this.config.has(instance.id)) throw exists(instance.id);
    const created = await this.run(() =>
      this.options.redis.eval(CREATE, 1, this.hashKey, instance.id, this.encode(instance), this.channel, notice('set', instance.id)),
    );
    if (created !== 1) throw exists(instance.id);
    return instance;
  }

  /** Whether an instance with this id exists (config or API). */
  async exists(id: string): Promise<boolean> {
    return this.config.has(id) || (await this.run(() => this.options.redis.hexists(this.hashKey, id))) === 1;
  }

  /** One instance (config or API). Throws 404 `unknown_instance`. */
  async get(id: string): Promise<SourcedInstance> {
    const fromConfig = this.config.get(id);
    if (fromConfig) return { instance: fromConfig, source: 'config' };
    const stored = await this.run(() => this.options.redis.hget(this.hashKey, id));
    if (stored === null) throw unknown(id);
    return { instance: this.decode(stored, id), source: 'api' };
  }

  /** Every instance, config ones first, then stored ones by id; undecryptable entries are skipped with a warning. */
  async list(): Promise<SourcedInstance[]> {
    const stored = await this.run(() => this.options.redis.hgetall(this.hashKey));
    const fromApi = this.decodeAll(stored).filter((i) => !this.config.has(i.id));
    return [
      ...[...this.config.values()].map((instance) => ({ instance, source: 'config' as const })),
      ...fromApi.sort((a, b) => a.id.localeCompare(b.id)).map((instance) => ({ instance, source: 'api' as const })),
    ];
  }

  /**
   * Merges a patch (see applyInstancePatch) into a stored instance and revalidates it. Compare-and-set,
   * retried on a concurrent write. Throws 400 `invalid_instance`, 404 `unknown_instance`, 409 `instance_read_only`.
   */
  async update(id: string, patch: unknown): Promise<Instance> {
    if (this.config.has(id)) throw readOnly(id);
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.run(() => this.options.redis.hget(this.hashKey, id));
      if (stored === null) throw unknown(id);
      const next = parseInstance(applyInstancePatch(this.decode(stored, id).definition, id, patch));
      const swapped = await this.run(() =>
        this.options.redis.eval(UPDATE, 1, this.hashKey, id, stored, this.encode(next), this.channel, notice('set', id)),
      );
      if (swapped === 1) return next;
    }
    throw new AppError('instance_conflict', `instance ${id} is being changed concurrently; try again`, 409);
  }

  /** Removes a stored instance. Throws 404 `unknown_instance`, 409 `instance_read_only`. */
  async delete(id: string): Promise<void> {
    if (this.config.has(id)) throw readOnly(id);
    const deleted = await this.run(() => this.options.redis.eval(DELETE, 1, this.hashKey, id, this.channel, notice('remove', id)));
    if (deleted !== 1) throw unknown(id);
  }

  /**
   * Loads every stored instance into `registry`, then applies each change as it is published and
   * reloads everything after a reconnect. Opens two 'worker' connections (a subscriber cannot run
   * other commands); `close()` the result to stop.
   */
  async startSync(registry: InstanceRegistry): Promise<InstanceSync> {
    const sync = new InstanceSync({
      registry,
      subscriber: connectRedis(this.options.target, 'worker'),
      reader: connectRedis(this.options.target, 'worker'),
      hashKey: this.hashKey,
      channel: this.channel,
      decode: (stored, id) => this.decodeOrSkip(stored, id),
      isConfig: (id) => this.config.has(id),
      logger: this.options.logger,
    });
    await sync.start();
    return sync;
  }

  private encode(instance: Instance): string {
    return encodeInstance(this.options.encryptionKey, instance);
  }

  private decode(stored: string, id: string): Instance {
    try {
      return decodeInstance(this.options.encryptionKey, stored);
    } catch (err) {
      this.options.logger?.warn('stored instance cannot be read (wrong SNOWGATE_ENCRYPTION_KEY?)', { instanceId: id, err: (err as Error).message });
      throw new AppError('instance_unreadable', `instance ${id} cannot be decrypted with this SNOWGATE_ENCRYPTION_KEY`, 500, { cause: err });
    }
  }

  private decodeOrSkip(stored: string, id: string): Instance | undefined {
    try {
      return this.decode(stored, id);
    } catch {
      return undefined;
    }
  }

  private decodeAll(stored: Record<string, string>): Instance[] {
    return Object.entries(stored).flatMap(([id, value]) => this.decodeOrSkip(value, id) ?? []);
  }

  /** Redis failures become 503 `store_unavailable`; AppErrors pass through. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw redisUnavailable('store_unavailable', 'The instance store (Redis) is unavailable', err);
    }
  }
}

function notice(op: InstanceChange['op'], id: string): string {
  return JSON.stringify({ op, id } satisfies InstanceChange);
}

function exists(id: string): AppError {
  return new AppError('instance_exists', `an instance with id ${id} already exists`, 409);
}

function unknown(id: string): AppError {
  return new AppError('unknown_instance', `no instance ${id}`, 404);
}

function readOnly(id: string): AppError {
  return new AppError('instance_read_only', `instance ${id} comes from the config file and cannot be changed through the API`, 409);
}
