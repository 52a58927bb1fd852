import type { PollerResource } from '../instances/instance';

/** The Cloud Elements hub of the ServiceNow elements (`/hubs/helpdesk/…`), sent as `hubKey`. */
export const HELPDESK_HUB = 'helpdesk';

/**
 * The ServiceNow element's named resources and the tables behind them (Cloud Elements' transformations);
 * any other `/hubs/helpdesk/{objectName}` is the table of that name. contacts and agents both read
 * sys_user, as they did there.
 */
export const HUB_RESOURCE_TABLES: Readonly<Record<string, string>> = {
  incidents: 'incident',
  accounts: 'core_company',
  contacts: 'sys_user',
  agents: 'sys_user',
};

/** Hub field names of the named resources that are another column of the table. */
export const HUB_RESOURCE_COLUMNS: Readonly<Record<string, string>> = { id: 'sys_id' };

/** A child table and the parent table it extends: a record of the child is a record of the parent too. */
export const TABLE_PARENTS: Readonly<Record<string, string>> = {
  customer_account: 'core_company',
  customer_contact: 'sys_user',
};

function hubResource(name: string): PollerResource {
  return {
    url: `/hubs/${HELPDESK_HUB}/${name}?where=sys_updated_on>'\${gmtDate:yyyy-MM-dd'T'HH:mm:ss}'`,
    idField: 'sys_id',
    datesConfiguration: {
      updatedDateField: 'sys_updated_on', updatedDateFormat: 'yyyy-MM-dd HH:mm:ss', updatedDateTimezone: 'GMT',
      createdDateField: 'sys_created_on', createdDateFormat: 'yyyy-MM-dd HH:mm:ss', createdDateTimezone: 'GMT',
    },
  };
}

/**
 * The poller of a Cloud Elements element instance that gives no `event.poller.configuration`: the element's
 * default resources accounts, contacts, agents and incidents, by `sys_updated_on`. Cloud Elements' own default
 * read incidents with `${date:…}` in "PST"; the Table API answers UTC, so here every resource reads GMT.
 */
export function elementDefaultResources(): Record<string, PollerResource> {
  return Object.fromEntries(['accounts', 'contacts', 'agents', 'incidents'].map((name) => [name, hubResource(name)]));
}
