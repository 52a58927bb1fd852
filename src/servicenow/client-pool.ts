import type { Instance } from '../instances/instance';
import type { OnCall } from './request-executor';
import { ServiceNowClient } from './servicenow-client';
import { TableWriter } from './table-writer';
import type { AuthorizationProvider } from './token-types';

/**
 * One ServiceNowClient (reads) and one TableWriter (writes) per instance, rebuilt when the instance's
 * configuration changes (the registry hands out a new Instance object on every change).
 */
export class ClientPool {
  private readonly clients = new Map<string, ServiceNowClient>();
  private readonly writers = new Map<string, TableWriter>();

  constructor(private readonly tokens: AuthorizationProvider, private readonly onCall?: (instance: Instance) => OnCall) {}

  for(instance: Instance): ServiceNowClient {
    return this.cached(this.clients, instance, () => new ServiceNowClient(instance, this.tokens, { onCall: this.onCall?.(instance) }));
  }

  writerFor(instance: Instance): TableWriter {
    return this.cached(this.writers, instance, () => new TableWriter(instance, this.tokens, { onCall: this.onCall?.(instance) }));
  }

  private cached<T extends { instance: Instance }>(map: Map<string, T>, instance: Instance, build: () => T): T {
    const known = map.get(instance.id);
    if (known && known.instance === instance) return known;
    const made = build();
    map.set(instance.id, made);
    return made;
  }
}
