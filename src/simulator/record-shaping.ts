import { displayValueAt, fieldTarget, valueAt } from './field-paths';
import type { GlideRecord, RecordStore } from './record-store';
import { TABLES, allColumns } from './table-definitions';

/** `sysparm_display_value`: stored values, display values, or both. */
export type DisplayMode = 'false' | 'true' | 'all';

/** How to render records for one request. */
export interface ShapeOptions {
  displayValue: DisplayMode;
  excludeReferenceLink: boolean;
  /** Field paths to return (already validated); undefined = every column. */
  fields?: string[];
  /** `http://host:port` of this simulator, for reference links. */
  baseUrl: string;
}

/** Reads `sysparm_display_value` (`true` | `false` | `all`, anything else = false). */
export function parseDisplayMode(raw: string | null | undefined): DisplayMode {
  const v = (raw ?? '').toLowerCase();
  return v === 'true' || v === 'all' ? v : 'false';
}

/** Reads a ServiceNow boolean parameter ("true" is true; anything else false unless `fallback`). */
export function parseBool(raw: string | null | undefined, fallback = false): boolean {
  if (raw === null || raw === undefined || raw === '') return fallback;
  return raw.toLowerCase() === 'true';
}

/** Reads `sysparm_fields`: the valid field paths, in order; undefined when absent or empty (= all). */
export function parseFields(table: string, raw: string | null | undefined): string[] | undefined {
  if (!raw) return undefined;
  const fields = raw.split(',').map((f) => f.trim()).filter((f) => f !== '' && fieldTarget(table, f));
  return [...new Set(fields)];
}

/** The absolute Table API link of a record. */
export function recordLink(baseUrl: string, table: string, sysId: string): string {
  return `${baseUrl}/api/now/table/${table}/${sysId}`;
}

function shapeReference(value: string, display: string, link: string, opts: ShapeOptions): unknown {
  if (value === '') return opts.displayValue === 'all' ? { display_value: '', value: '' } : '';
  switch (opts.displayValue) {
    case 'true':
      return opts.excludeReferenceLink ? display : { display_value: display, link };
    case 'all':
      return opts.excludeReferenceLink ? { display_value: display, value } : { display_value: display, link, value };
    default:
      return opts.excludeReferenceLink ? value : { link, value };
  }
}

/**
 * Renders one row as the Table API does: every value a string; references as `{link, value}`,
 * a plain sys_id (exclude_reference_link), `{display_value, link}` (display_value=true) or
 * `{display_value, link, value}` (all); other fields become `{display_value, value}` in `all` mode.
 * Dot-walked fields keep their literal dotted name as key.
 */
export function shapeRecord(store: RecordStore, table: string, record: GlideRecord, opts: ShapeOptions): Record<string, unknown> {
  const def = TABLES.get(table)!;
  const out: Record<string, unknown> = {};
  for (const path of opts.fields ?? allColumns(def)) {
    const target = fieldTarget(table, path);
    if (!target) continue;
    const value = valueAt(store, table, record, path);
    const display = displayValueAt(store, table, record, path);
    if (target.reference) {
      out[path] = shapeReference(value, display, recordLink(opts.baseUrl, target.reference, value), opts);
    } else if (opts.displayValue === 'all') {
      out[path] = { display_value: display, value };
    } else {
      out[path] = opts.displayValue === 'true' ? display : value;
    }
  }
  return out;
}

/**
 * Renders one row as the Case API does: flat strings, references as plain sys_ids (or display
 * values when `displayValue` is true), and with `expand` the listed references as full nested rows.
 */
export function shapePlain(
  store: RecordStore,
  table: string,
  record: GlideRecord,
  opts: { displayValue: DisplayMode; fields?: string[]; expand?: readonly string[] },
): Record<string, unknown> {
  const def = TABLES.get(table)!;
  const out: Record<string, unknown> = {};
  for (const path of opts.fields ?? allColumns(def)) {
    const target = fieldTarget(table, path);
    if (!target) continue;
    const value = valueAt(store, table, record, path);
    const nested = target.reference && opts.expand?.includes(path) && value !== '' ? store.row(target.reference, value) : undefined;
    if (nested) out[path] = shapePlain(store, target.reference!, nested, { displayValue: 'false' });
    else if (opts.displayValue === 'all') out[path] = { display_value: displayValueAt(store, table, record, path), value };
    else out[path] = opts.displayValue === 'true' ? displayValueAt(store, table, record, path) : value;
  }
  return out;
}
