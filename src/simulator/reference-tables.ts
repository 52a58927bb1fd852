import { table, type TableDefinition } from './table-definition';

/**
 * Small tables that the main tables point to or that clients read beside them: group memberships
 * (for "One of My Groups"), products (`cmdb_model`, a case's `product`), B2C consumers (`csm_consumer`,
 * a case's `consumer`), change tasks, and the dictionary (`sys_dictionary`, one row per table and
 * column, built from these definitions so that schema checks by clients work).
 */
export const REFERENCE_TABLES: readonly TableDefinition[] = [
  table({
    name: 'sys_user_grmember',
    columns: ['user', 'group'],
    references: { user: 'sys_user', group: 'sys_user_group' },
    displayField: 'user',
  }),
  table({
    name: 'cmdb_model',
    columns: ['name', 'display_name', 'manufacturer', 'model_number', 'status'],
    references: { manufacturer: 'core_company' },
    displayField: 'display_name',
    defaults: { status: 'In Production' },
  }),
  table({
    name: 'csm_consumer',
    columns: ['number', 'first_name', 'last_name', 'name', 'email', 'mobile_phone', 'active'],
    displayField: 'name',
    numbering: { prefix: 'CSMC', digits: 7, start: 1001 },
    defaults: { active: 'true' },
  }),
  table({
    name: 'change_task',
    columns: ['number', 'short_description', 'change_request', 'state', 'assigned_to', 'active'],
    references: { change_request: 'change_request', assigned_to: 'sys_user' },
    choices: { state: { '-5': 'Pending', '1': 'Open', '2': 'In Progress', '3': 'Closed', '4': 'Canceled' } },
    displayField: 'number',
    numbering: { prefix: 'CTASK', digits: 7, start: 10001 },
    defaults: { state: '1', active: 'true' },
  }),
  table({
    name: 'sys_dictionary',
    columns: ['name', 'element', 'column_label', 'internal_type', 'reference', 'max_length', 'mandatory', 'read_only', 'active', 'display', 'default_value'],
    displayField: 'column_label',
    defaults: { mandatory: 'false', read_only: 'false', active: 'true', display: 'false' },
  }),
];
