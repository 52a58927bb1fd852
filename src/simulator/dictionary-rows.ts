import { stableSysId } from './glide-values';
import type { RecordStore } from './record-store';
import { allColumns, TABLES, type TableDefinition } from './table-definitions';

const TABLE_LABELS: Readonly<Record<string, string>> = {
  sn_customerservice_case: 'Case', sys_user: 'User', sys_user_group: 'Group', sys_journal_field: 'Journal Entry',
  sys_attachment: 'Attachment', kb_knowledge: 'Knowledge', incident: 'Incident', change_request: 'Change Request',
  sys_dictionary: 'Dictionary Entry', csm_consumer: 'Consumer', cmdb_model: 'Product Model', core_company: 'Company',
};
const COLUMN_LABELS: Readonly<Record<string, string>> = {
  sys_id: 'Sys ID', sys_created_on: 'Created', sys_created_by: 'Created by', sys_updated_on: 'Updated',
  sys_updated_by: 'Updated by', sys_mod_count: 'Updates', sys_tags: 'Tags', comments: 'Additional comments',
  sys_domain: 'Domain', short_description: 'Short description', caller_id: 'Caller',
};
const BOOLEANS = new Set(['active', 'locked_out', 'customer', 'partner', 'vendor', 'compressed', 'mandatory', 'read_only', 'display']);
const INTEGERS = new Set(['sys_mod_count', 'reopen_count', 'escalation', 'size_bytes', 'size_compressed', 'image_height', 'image_width', 'chunk_size_bytes', 'max_length']);
const DATES = new Set(['published', 'valid_to']);
const LONG_TEXT = new Set(['description', 'text', 'close_notes', 'value', 'notes', 'default_value']);

function humanize(name: string): string {
  const words = name.replace(/_id$/, '').split('_').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The dictionary type of a column, as ServiceNow names it (string, reference, integer, boolean, glide_date_time…). */
export function internalType(def: TableDefinition, column: string): string {
  if (column === 'sys_id') return 'GUID';
  if (def.references[column]) return 'reference';
  if (def.journalFields.includes(column)) return column === 'comments_and_work_notes' ? 'journal_list' : 'journal_input';
  if (column === 'sys_created_on' || column === 'sys_updated_on' || def.dateTimes.includes(column)) return 'glide_date_time';
  if (DATES.has(column)) return 'glide_date';
  if (BOOLEANS.has(column) || /^(true|false)$/.test(def.defaults[column] ?? '')) return 'boolean';
  const choices = def.choices[column];
  if (INTEGERS.has(column) || (choices && Object.keys(choices).every((v) => /^-?\d+$/.test(v)))) return 'integer';
  return 'string';
}

function maxLength(def: TableDefinition, column: string, type: string): string {
  if (def.maxLengths[column]) return String(def.maxLengths[column]);
  if (type === 'reference' || type === 'GUID') return '32';
  if (type.startsWith('journal') || LONG_TEXT.has(column)) return '4000';
  return '40';
}

/** The `sys_dictionary` rows of one table: the collection row (element "") and one row per column. */
export function dictionaryRows(def: TableDefinition): Array<Record<string, string>> {
  const collection = {
    name: def.name, element: '', column_label: TABLE_LABELS[def.name] ?? humanize(def.name), internal_type: 'collection', reference: '', max_length: '40',
  };
  return [collection, ...allColumns(def).map((column) => {
    const type = internalType(def, column);
    return {
      name: def.name,
      element: column,
      column_label: COLUMN_LABELS[column] ?? humanize(column),
      internal_type: type,
      reference: def.references[column] ?? '',
      max_length: maxLength(def, column, type),
      read_only: String(column.startsWith('sys_') && column !== 'sys_domain' && column !== 'sys_class_name'),
      display: String(column === def.displayField),
      default_value: def.defaults[column] ?? '',
    };
  })];
}

/** Writes the dictionary of every known table (stable sys_ids: `sys_dictionary:<table>.<element>`). */
export function seedDictionary(store: RecordStore): void {
  for (const def of TABLES.values()) {
    for (const row of dictionaryRows(def)) {
      store.insert('sys_dictionary', { ...row, sys_id: stableSysId(`sys_dictionary:${row.name}.${row.element}`) }, { user: 'system', at: new Date(Date.UTC(2025, 0, 1)) });
    }
  }
}
