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
    const known = this.clients.get(instance.id);
    if (known && known.instance === instance) return known;
    const client = new ServiceNowClient(instance, this.tokens, { onCall: this.onCall?.(instance) });
    this.clients.set(instance.id, client);
    return client;
  }

  writerFor(instance: Instance): TableWriter {
    const known = this.writers.get(instance.id);
    if (known && known.instance === instance) return known;
    const writer = new TableWriter(instance, this.tokens, { onCall: this.onCall?.(instance) });
    this.writers.set(instance.id, writer);
    return writer;
  }
}
