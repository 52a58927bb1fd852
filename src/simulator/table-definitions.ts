import { SYSTEM_COLUMNS, table, type TableDefinition } from './table-definition';
import { REFERENCE_TABLES } from './reference-tables';

export { SYSTEM_COLUMNS, type TableDefinition } from './table-definition';

const CASE_STATES = { '1': 'New', '10': 'Open', '18': 'Awaiting Info', '6': 'Resolved', '3': 'Closed' };
const PRIORITIES = { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low' };
const IMPACT_URGENCY = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' };
const INCIDENT_STATES = { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' };
const INCIDENT_PRIORITIES = { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low', '5': '5 - Planning' };
const HOLD_REASONS = { '1': 'Awaiting Caller', '3': 'Awaiting Problem', '4': 'Awaiting Vendor', '5': 'Awaiting Change' };
const CLOSE_CODES = Object.fromEntries([
  'Duplicate', 'Known error', 'No resolution provided', 'Resolved by caller', 'Resolved by change', 'Resolved by problem',
  'Resolved by request', 'Solution provided', 'Workaround provided', 'User error',
].map((c) => [c, c]));
const INCIDENT_CATEGORIES = { inquiry: 'Inquiry / Help', software: 'Software', hardware: 'Hardware', network: 'Network', database: 'Database' };
const INCIDENT_CONTACT_TYPES = { email: 'Email', phone: 'Phone', 'self-service': 'Self-service', virtual_agent: 'Virtual Agent', walk_in: 'Walk-in' };
const KB_STATES = {
  draft: 'Draft', review: 'Review', published: 'Published', pending_retirement: 'Pending Retirement', retired: 'Retired', outdated: 'Outdated',
};

const DEFINITIONS: TableDefinition[] = [
  table({
    name: 'sys_user',
    columns: ['user_name', 'first_name', 'last_name', 'name', 'email', 'title', 'active', 'locked_out', 'time_zone'],
    displayField: 'name',
    defaults: { active: 'true', locked_out: 'false', time_zone: 'GMT' },
  }),
  table({
    name: 'customer_account',
    columns: ['number', 'name', 'phone', 'website', 'city', 'country', 'customer', 'partner', 'primary_contact', 'notes'],
    references: { primary_contact: 'customer_contact' },
    displayField: 'name',
    numbering: { prefix: 'ACCT', digits: 7, start: 1001 },
    defaults: { customer: 'true', partner: 'false' },
  }),
  table({
    name: 'customer_contact',
    columns: ['user_name', 'first_name', 'last_name', 'name', 'email', 'phone', 'title', 'account', 'active', 'time_zone'],
    references: { account: 'customer_account' },
    displayField: 'name',
    defaults: { active: 'true', time_zone: 'GMT' },
  }),
  table({
    name: 'sn_customerservice_case',
    columns: [
      'number', 'short_description', 'description', 'state', 'priority', 'impact', 'urgency', 'account', 'contact', 'consumer',
      'product', 'assigned_to', 'assignment_group', 'opened_at', 'opened_by', 'resolved_at', 'resolved_by', 'closed_at', 'closed_by',
      'contact_type', 'category', 'subcategory', 'case', 'comments', 'work_notes', 'comments_and_work_notes', 'active', 'escalation',
      'close_notes', 'resolution_code', 'sys_class_name', 'sys_domain', 'company',
    ],
    references: {
      account: 'customer_account', contact: 'customer_contact', assigned_to: 'sys_user', opened_by: 'sys_user',
      resolved_by: 'sys_user', closed_by: 'sys_user', assignment_group: 'sys_user_group', consumer: 'csm_consumer',
      product: 'cmdb_model', company: 'core_company', sys_domain: 'sys_user_group',
    },
    choices: {
      state: CASE_STATES, priority: PRIORITIES, impact: IMPACT_URGENCY, urgency: IMPACT_URGENCY,
      contact_type: { web: 'Web', phone: 'Phone', email: 'Email', chat: 'Chat' },
    },
    displayField: 'number',
    numbering: { prefix: 'CS', digits: 7, start: 1001 },
    journalFields: ['comments', 'work_notes', 'comments_and_work_notes'],
    dateTimes: ['opened_at', 'resolved_at', 'closed_at'],
    maxLengths: { number: 40, short_description: 160 },
    defaults: {
      state: '1', priority: '4', impact: '3', urgency: '3', active: 'true', escalation: '0', contact_type: 'web',
      category: '1', subcategory: '0', sys_class_name: 'sn_customerservice_case', sys_domain: 'global',
    },
  }),
  table({ name: 'sys_journal_field', columns: ['element', 'element_id', 'name', 'value'], displayField: 'value' }),
  table({
    name: 'sys_attachment',
    columns: [
      'table_name', 'table_sys_id', 'file_name', 'content_type', 'size_bytes', 'size_compressed', 'compressed', 'hash',
      'image_height', 'image_width', 'average_image_color', 'chunk_size_bytes', 'state',
    ],
    displayField: 'file_name',
    defaults: { compressed: 'true', chunk_size_bytes: '700000', state: 'available' },
  }),
  table({
    name: 'kb_knowledge',
    columns: [
      'number', 'short_description', 'text', 'workflow_state', 'author', 'kb_knowledge_base', 'kb_category', 'article_type', 'active',
      'valid_to', 'published',
    ],
    references: { author: 'sys_user', kb_knowledge_base: 'kb_knowledge_base' },
    choices: { workflow_state: KB_STATES, article_type: { text: 'HTML', wiki: 'Wiki' } },
    displayField: 'number',
    numbering: { prefix: 'KB', digits: 7, start: 10001 },
    defaults: { workflow_state: 'draft', article_type: 'text', active: 'true', valid_to: '2100-01-01' },
  }),
  table({ name: 'kb_knowledge_base', columns: ['title', 'description', 'owner', 'active'], references: { owner: 'sys_user' }, displayField: 'title', defaults: { active: 'true' } }),
  table({
    name: 'sys_user_group',
    columns: ['name', 'description', 'manager', 'email', 'active'],
    references: { manager: 'sys_user' },
    displayField: 'name',
    defaults: { active: 'true' },
  }),
  table({ name: 'core_company', columns: ['name', 'city', 'country', 'phone', 'website', 'customer', 'vendor'], displayField: 'name', defaults: { customer: 'true', vendor: 'false' } }),
  table({
    name: 'change_request',
    columns: ['number', 'short_description', 'description', 'state', 'active'],
    displayField: 'number',
    numbering: { prefix: 'CHG', digits: 7, start: 30001 },
    defaults: { state: '-5', active: 'true' },
  }),
  table({
    name: 'incident',
    columns: [
      'number', 'short_description', 'description', 'state', 'impact', 'urgency', 'priority', 'hold_reason', 'close_code', 'close_notes',
      'caller_id', 'opened_by', 'opened_at', 'assigned_to', 'assignment_group', 'resolved_by', 'resolved_at', 'closed_by', 'closed_at',
      'company', 'correlation_id', 'correlation_display', 'caused_by', 'reopened_by', 'reopened_time', 'reopen_count', 'cause',
      'category', 'subcategory', 'contact_type', 'comments', 'work_notes', 'comments_and_work_notes', 'active', 'sys_class_name', 'sys_domain',
      'incident_state',
    ],
    references: {
      caller_id: 'sys_user', opened_by: 'sys_user', assigned_to: 'sys_user', resolved_by: 'sys_user', closed_by: 'sys_user',
      reopened_by: 'sys_user', assignment_group: 'sys_user_group', company: 'core_company', caused_by: 'change_request',
      sys_domain: 'sys_user_group',
    },
    choices: {
      state: INCIDENT_STATES, incident_state: INCIDENT_STATES, impact: IMPACT_URGENCY, urgency: IMPACT_URGENCY, priority: INCIDENT_PRIORITIES, hold_reason: HOLD_REASONS,
      close_code: CLOSE_CODES, category: INCIDENT_CATEGORIES, contact_type: INCIDENT_CONTACT_TYPES,
    },
    displayField: 'number',
    numbering: { prefix: 'INC', digits: 7, start: 10001 },
    journalFields: ['comments', 'work_notes', 'comments_and_work_notes'],
    dateTimes: ['opened_at', 'resolved_at', 'closed_at', 'reopened_time'],
    maxLengths: { short_description: 160, correlation_id: 100, correlation_display: 100 },
    defaults: {
      state: '1', incident_state: '1', impact: '3', urgency: '3', priority: '5', category: 'inquiry', active: 'true', reopen_count: '0',
      sys_class_name: 'incident', sys_domain: 'global',
    },
  }),
  table({ name: 'sys_audit_delete', columns: ['tablename', 'documentkey', 'display_value'], displayField: 'documentkey' }),
  ...REFERENCE_TABLES,
];

/** Every known table by name. */
export const TABLES: ReadonlyMap<string, TableDefinition> = new Map(DEFINITIONS.map((d) => [d.name, d]));

/** All column names of a table, system columns first. */
export function allColumns(def: TableDefinition): string[] {
  return [...SYSTEM_COLUMNS, ...def.columns];
}

const columnSets = new WeakMap<TableDefinition, ReadonlySet<string>>();

/** Whether `column` is one of the table's columns (system columns included); a set made once per table. */
export function hasColumn(def: TableDefinition, column: string): boolean {
  let set = columnSets.get(def);
  if (!set) {
    set = new Set(allColumns(def));
    columnSets.set(def, set);
  }
  return set.has(column);
}
