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
  /** GlideDateTime columns: with `sysparm_input_display_value=true` they are read in the writer's time zone. */
  dateTimes: readonly string[];
  /** String columns with a maximum length: a longer write is cut to it (as the database column does). */
  maxLengths: Readonly<Record<string, number>>;
}

/** Columns every record has. */
export const SYSTEM_COLUMNS = ['sys_id', 'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count', 'sys_tags'] as const;

/** A definition with the optional parts defaulted (no references, choices, journals, defaults…). */
export function table(def: Partial<TableDefinition> & Pick<TableDefinition, 'name' | 'columns' | 'displayField'>): TableDefinition {
  return { references: {}, choices: {}, journalFields: [], defaults: {}, dateTimes: [], maxLengths: {}, ...def };
}
