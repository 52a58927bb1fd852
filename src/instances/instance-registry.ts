import { EventEmitter } from 'node:events';
import type { Instance } from './instance';

/**
 * The instances this process serves, looked up by id on every request (in memory, so the hot path
 * does no I/O). Sources — the config file, the Redis-backed store — call `set` / `remove`; listeners
 * hear `change` with the id.
 */
export class InstanceRegistry extends EventEmitter {
  private readonly byId = new Map<string, Instance>();

  constructor(initial: Iterable<Instance> = []) {
    super();
    for (const instance of initial) this.byId.set(instance.id, instance);
  }

  get(id: string): Instance | undefined {
    return this.byId.get(id);
  }

  list(): Instance[] {
    return [...this.byId.values()];
  }

  set(instance: Instance): void {
    this.byId.set(instance.id, instance);
    this.emit('change', instance.id);
  }

  remove(id: string): boolean {
    const existed = this.byId.delete(id);
    if (existed) this.emit('change', id);
    return existed;
  }
}
