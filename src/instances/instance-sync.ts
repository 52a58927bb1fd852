import type { Logger } from '../lib/logger';
import { closeRedis, type RedisClient } from '../lib/redis-connections';
import type { Instance } from './instance';
import type { InstanceRegistry } from './instance-registry';
import type { InstanceChange } from './instance-change';

/** What {@link InstanceSync} works with; InstanceStore.startSync supplies it. */
export interface InstanceSyncDeps {
  registry: InstanceRegistry;
  /** A 'worker' connection used only for SUBSCRIBE (owned: closed by `close`). */
  subscriber: RedisClient;
  /** A 'worker' connection for HGET / HGETALL (owned: closed by `close`). */
  reader: RedisClient;
  hashKey: string;
  channel: string;
  /** Stored JSON → instance, or undefined when it cannot be read (already logged). */
  decode(stored: string, id: string): Instance | undefined;
  /** Config-file ids: the store never overrides or removes them. */
  isConfig(id: string): boolean;
  logger?: Logger;
}

/**
 * Keeps one process's InstanceRegistry equal to the instance store: a full load at start and after
 * every reconnect, and one HGET per change notice in between. Work runs one step at a time, so a
 * notice handled after a load always wins over it.
 */
export class InstanceSync {
  /** Ids this sync put into the registry (so a reload can remove the ones deleted meanwhile). */
  private readonly owned = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private started = false;
  private closed = false;

  constructor(private readonly deps: InstanceSyncDeps) {}

  /** Subscribes, then loads everything (in that order, so no change falls between the two). */
  async start(): Promise<void> {
    const { subscriber, channel, logger } = this.deps;
    subscriber.on('error', (err: Error) => logger?.debug('instance sync subscriber error', { err: err.message }));
    this.deps.reader.on('error', (err: Error) => logger?.debug('instance sync reader error', { err: err.message }));
    subscriber.on('message', (ch: string, message: string) => {
      if (ch === channel) this.enqueue(() => this.apply(message));
    });
    subscriber.on('ready', () => {
      if (this.started) this.enqueue(() => this.reload());
    });
    await subscriber.subscribe(channel);
    await this.enqueue(() => this.reload());
    this.started = true;
  }

  /** Loads every stored instance again (also done on each reconnect). */
  resync(): Promise<void> {
    return this.enqueue(() => this.reload());
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    await Promise.all([closeRedis(this.deps.subscriber), closeRedis(this.deps.reader)]);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.closed ? undefined : step()));
    this.chain = run.catch((err: Error) => {
      this.deps.logger?.warn('instance sync step failed', { err: err.message });
    });
    return run;
  }

  private async reload(): Promise<void> {
    const stored = await this.deps.reader.hgetall(this.deps.hashKey);
    for (const id of [...this.owned]) if (!(id in stored)) this.remove(id);
    for (const [id, value] of Object.entries(stored)) this.set(id, value);
    this.deps.logger?.debug('instances loaded from the store', { count: Object.keys(stored).length });
  }

  private async apply(message: string): Promise<void> {
    let change: InstanceChange;
    try {
      change = JSON.parse(message) as InstanceChange;
    } catch {
      return;
    }
    if (typeof change.id !== 'string') return;
    const stored = await this.deps.reader.hget(this.deps.hashKey, change.id);
    if (stored === null) this.remove(change.id);
    else this.set(change.id, stored);
  }

  private set(id: string, stored: string): void {
    if (this.deps.isConfig(id)) return;
    const instance = this.deps.decode(stored, id);
    if (!instance) return;
    const current = this.deps.registry.get(id);
    if (current && JSON.stringify(current.definition) === JSON.stringify(instance.definition)) {
      this.owned.add(id);
      return;
    }
    this.owned.add(id);
    this.deps.registry.set(instance);
  }

  private remove(id: string): void {
    if (this.deps.isConfig(id)) return;
    this.owned.delete(id);
    this.deps.registry.remove(id);
  }
}
