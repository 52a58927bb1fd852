import type { RecordSummary } from './event-data';
import type { ServiceNowRow } from './enrichment-api';
import { JOURNAL_FIELDS } from '../servicenow/journal-fields';
import { displayValue, fieldValue } from './record-reader';

/**
 * Splits a `display_value=all` row into raw values and the display values that differ from them. A journal
 * field's history (internal work notes included) is left out: it reaches subscribers only as journal events,
 * each with its own visibility — never inside a record's.
 */
export function splitRow(row: ServiceNowRow): { record: Record<string, string>; display_values: Record<string, string> } {
  const record: Record<string, string> = {};
  const display_values: Record<string, string> = {};
  for (const [name, field] of Object.entries(row)) {
    const value = fieldValue(field);
    record[name] = value;
    if (JOURNAL_FIELDS.has(name)) continue;
    const display = displayValue(field);
    if (display !== value) display_values[name] = display;
  }
  return { record, display_values };
}

/** A short summary of a referenced record: its display value and a few identifying fields. */
export function summarize(row: ServiceNowRow | undefined, fields: readonly string[], displayField: string): RecordSummary | null {
  if (!row) return null;
  const picked: Record<string, string> = {};
  for (const f of fields) if (row[f] !== undefined) picked[f] = displayValue(row[f]);
  return { sys_id: fieldValue(row.sys_id), display_value: displayValue(row[displayField]), fields: picked };
}
