/**
 * The tables the simulator knows, with their columns, reference fields, choice labels and the
 * field that gives a record its display value. A table not listed here is "Invalid table".
 */
export interface TableDefinition {
  name: string;
  /** Columns besides the system columns every table has. */
  columns: readonly string[];
  /** Reference columns and the table each one points to. */
  references: Readonly<Record<string, string>>;
  /** Choice columns: stored value → label (used for display values). */
  choices: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The column whose value is the record's display value. */
  displayField: string;
  /** Auto-numbering prefix and width (e.g. CS + 7 digits), when the table has a `number`. */
  numbering?: { prefix: string; digits: number; start: number };
  /** Journal columns: writing them creates sys_journal_field rows; they always read back as "". */
  journalFields: readonly string[];
  /** Values for columns a new record leaves out (computed defaults are added by the store). */
  defaults: Readonly<Record<string, string>>;
}

/** Columns every record has. */
export const SYSTEM_COLUMNS = ['sys_id', 'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count', 'sys_tags'] as const;

const CASE_STATES = { '1': 'New', '10': 'Open', '18': 'Awaiting Info', '6': 'Resolved', '3': 'Closed' };
const PRIORITIES = { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low' };
const IMPACT_URGENCY = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' };

function table(def: Partial<TableDefinition> & Pick<TableDefinition, 'name' | 'columns' | 'displayField'>): TableDefinition {
  return { references: {}, choices: {}, journalFields: [], defaults: {}, ...def };
}

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
      'close_notes', 'resolution_code', 'sys_class_name', 'sys_domain',
    ],
    references: {
      account: 'customer_account', contact: 'customer_contact', assigned_to: 'sys_user', opened_by: 'sys_user',
      resolved_by: 'sys_user', closed_by: 'sys_user',
    },
    choices: {
      state: CASE_STATES, priority: PRIORITIES, impact: IMPACT_URGENCY, urgency: IMPACT_URGENCY,
      contact_type: { web: 'Web', phone: 'Phone', email: 'Email', chat: 'Chat' },
    },
    displayField: 'number',
    numbering: { prefix: 'CS', digits: 7, start: 1001 },
    journalFields: ['comments', 'work_notes', 'comments_and_work_notes'],
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
    columns: ['number', 'short_description', 'text', 'workflow_state', 'author', 'kb_category', 'active', 'valid_to', 'published'],
    references: { author: 'sys_user' },
    choices: { workflow_state: { draft: 'Draft', review: 'Review', published: 'Published', retired: 'Retired' } },
    displayField: 'number',
    numbering: { prefix: 'KB', digits: 7, start: 10001 },
    defaults: { workflow_state: 'draft', active: 'true', valid_to: '2100-01-01' },
  }),
  table({ name: 'sys_audit_delete', columns: ['tablename', 'documentkey', 'display_value'], displayField: 'documentkey' }),
];

/** Every known table by name. */
export const TABLES: ReadonlyMap<string, TableDefinition> = new Map(DEFINITIONS.map((d) => [d.name, d]));

/** All column names of a table, system columns first. */
export function allColumns(def: TableDefinition): string[] {
  return [...SYSTEM_COLUMNS, ...def.columns];
}
