import type { Instance } from '../instances/instance';
import { polls } from './poll-schedules';
import { pollerResourcesOf, specsFor } from './poll-spec';
import { parseResourceUrl } from './resource-url';

/** One resource as `GET /instances/{id}` shows it: the URL as written beside what is sent to ServiceNow. */
export interface PolledResourceView {
  url: string;
  table: string;
  /** `sysparm_query` before its placeholders are filled (the poller adds ORDERBY and keyset conditions). */
  sysparm_query: string;
  /** The other Table API parameters, e.g. `sysparm_fields`, `sysparm_limit`. */
  params?: Record<string, string>;
  /** For a Cloud Elements hub URL: its CEQL `where`, as written. */
  where?: string;
}

/** An instance's poller as operators see it. */
export interface PollerView {
  enabled: boolean;
  refreshIntervalMinutes: number;
  /** Where the resources come from: the configuration, the Cloud Elements element's defaults, or the capabilities'. */
  resourcesFrom: 'configuration' | 'element defaults' | 'capability defaults';
  resources: Record<string, PolledResourceView>;
}

/** What the instance polls, each resource's query translated (an instance that parsed always translates). */
export function pollerView(instance: Instance): PollerView {
  const configured = Object.keys(instance.poller.resources).length > 0;
  const resources: Record<string, PolledResourceView> = {};
  for (const [name, resource] of Object.entries(pollerResourcesOf(instance))) {
    const [spec] = specsFor(name, resource, instance.pullRecordBy);
    const params = Object.fromEntries(spec.params.filter(([k]) => k !== 'sysparm_query'));
    const hub = parseResourceUrl(resource.url).hub;
    resources[name] = {
      url: resource.url,
      table: spec.table,
      sysparm_query: spec.params.find(([k]) => k === 'sysparm_query')?.[1] ?? '',
      ...(Object.keys(params).length ? { params } : {}),
      ...(hub ? { where: hub.where } : {}),
    };
  }
  return {
    enabled: polls(instance),
    refreshIntervalMinutes: instance.poller.refreshIntervalMs / 60_000,
    resourcesFrom: configured ? 'configuration' : instance.element ? 'element defaults' : 'capability defaults',
    resources,
  };
}
