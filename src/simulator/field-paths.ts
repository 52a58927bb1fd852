import type { GlideRecord } from './glide-values';
import { journalHistory } from './journal-history';
import type { RecordStore } from './record-store';
import { TABLES, hasColumn } from './table-definitions';

/** Where a (possibly dot-walked) field path ends: the table and column holding the value. */
export interface FieldTarget {
  table: string;
  column: string;
  /** The table the final column references, when it is a reference. */
  reference?: string;
}

/**
 * Resolves `account.name` on `sn_customerservice_case` to `customer_account.name`. Undefined when
 * any segment is not a column, or a non-final segment is not a reference (an "invalid field").
 */
export function fieldTarget(table: string, path: string): FieldTarget | undefined {
  const key = `${table}\u0000${path}`;
  if (targets.has(key)) return targets.get(key);
  const target = resolveTarget(table, path);
  if (targets.size < MAX_TARGETS) targets.set(key, target);
  return target;
}

/** Resolved paths (the table definitions never change): shaping every record of a list asks for the same few. */
const targets = new Map<string, FieldTarget | undefined>();
const MAX_TARGETS = 10_000;

function resolveTarget(table: string, path: string): FieldTarget | undefined {
  const segments = path.split('.');
  let current = table;
  for (let i = 0; i < segments.length; i += 1) {
    const def = TABLES.get(current);
    if (!def || !hasColumn(def, segments[i])) return undefined;
    const reference = def.references[segments[i]];
    if (i === segments.length - 1) return { table: current, column: segments[i], ...(reference ? { reference } : {}) };
    if (!reference) return undefined;
    current = reference;
  }
  return undefined;
}

/** The record holding the final column of `path` (walking references), or undefined when a link is empty. */
export function recordAt(store: RecordStore, table: string, record: GlideRecord, path: string): GlideRecord | undefined {
  const segments = path.split('.');
  let current: GlideRecord | undefined = record;
  let currentTable = table;
  for (const segment of segments.slice(0, -1)) {
    const reference: string | undefined = TABLES.get(currentTable)?.references[segment];
    if (!current || !reference) return undefined;
    current = store.row(reference, current[segment] ?? '');
    currentTable = reference;
  }
  return current;
}

/** The stored value at a field path ("" when a link on the way is empty or dangling). */
export function valueAt(store: RecordStore, table: string, record: GlideRecord, path: string): string {
  const holder = recordAt(store, table, record, path);
  const column = path.split('.').pop()!;
  return holder?.[column] ?? '';
}

/**
 * The display value at a field path: choice labels, referenced records' display values, a journal
 * field's history, else the value.
 */
export function displayValueAt(store: RecordStore, table: string, record: GlideRecord, path: string): string {
  const target = fieldTarget(table, path);
  if (target && TABLES.get(target.table)?.journalFields.includes(target.column)) {
    const holder = recordAt(store, table, record, path);
    return holder ? journalHistory(store, target.table, holder, target.column) : '';
  }
  const value = valueAt(store, table, record, path);
  if (!target || value === '') return value;
  if (target.reference) return store.displayValueOf(target.reference, value);
  return TABLES.get(target.table)?.choices[target.column]?.[value] ?? value;
}
