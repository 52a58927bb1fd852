import type { Instance } from '../instances/instance';
import { pollerResourcesOf } from './poll-spec';
import { parseResourceUrl } from './resource-url';

/** How a table's records are named to a Cloud Elements consumer: the resource (`objectType`) and its id field. */
export interface TableResource {
  objectType: string;
  idField: string;
}

const cache = new WeakMap<Instance, Map<string, TableResource>>();

function build(instance: Instance): Map<string, TableResource> {
  const byTable = new Map<string, TableResource>();
  for (const [name, resource] of Object.entries(pollerResourcesOf(instance))) {
    const table = resource.table ?? parseResourceUrl(resource.url).table;
    if (!byTable.has(table)) byTable.set(table, { objectType: name, idField: resource.idField ?? 'sys_id' });
  }
  return byTable;
}

/**
 * The poller resource a table's events are reported under (the first that reads it: `accounts` for
 * core_company; contacts before agents for sys_user), or the table itself with `sys_id` when no resource reads it.
 */
export function resourceOfTable(instance: Instance, table: string): TableResource {
  let byTable = cache.get(instance);
  if (!byTable) {
    byTable = build(instance);
    cache.set(instance, byTable);
  }
  return byTable.get(table) ?? { objectType: table, idField: 'sys_id' };
}
