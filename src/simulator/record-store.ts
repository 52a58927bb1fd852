import { clientSysFields, newRecordId } from './client-sys-fields';
import { glideDateTime, toGlideString, type GlideRecord } from './glide-values';
import { fromInputDisplayValue, type InputContext } from './input-display-value';
import type { SimulatorClock } from './simulator-clock';
import type { SimulatorKnobs } from './simulator-knobs';
import { TABLES, allColumns, type TableDefinition } from './table-definitions';
import { RowIndexes } from './row-indexes';
import { BEFORE_RULES } from './table-rules';

export type { GlideRecord } from './glide-values';

/** One committed write, as a business rule would see it. For a delete, `record` is the row as it was. */
export interface RecordChange {
  table: string;
  operation: 'insert' | 'update' | 'delete';
  record: GlideRecord;
}

/** Who writes, and (for seeding) when. */
export interface WriteOptions {
  /** user_name written into sys_created_by / sys_updated_by. Default "admin". */
  user?: string;
  /** Timestamp of the write. Default the simulator clock. */
  at?: Date;
  /**
   * `sysparm_input_display_value=true`: references, choices and date-times are written as display
   * values and converted (see input-display-value.ts). Default false: every value is stored as given.
   */
  inputDisplayValue?: boolean;
}

const PROTECTED = new Set(['sys_id', 'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count']);
const ADMIN_USER = 'admin';

/**
 * The in-memory database. Every write goes through here — Table API, Case API, Attachment API and
 * the programmatic store alike — so mod counts, journal rows, audit rows and webhooks never differ.
 */
export class RecordStore {
  private readonly tables = new Map<string, Map<string, GlideRecord>>();
  private readonly counters = new Map<string, number>();
  private readonly indexes = new RowIndexes((table) => this.tables.get(table)?.values() ?? []);
  /** Attachment bytes by sys_attachment sys_id. */
  readonly attachmentContent = new Map<string, Buffer>();

  constructor(
    private readonly clock: SimulatorClock,
    private readonly knobs: SimulatorKnobs,
    private readonly onChange: (change: RecordChange) => void,
  ) {
    for (const name of TABLES.keys()) this.tables.set(name, new Map());
  }

  /** The definition of a known table, or undefined. */
  definition(table: string): TableDefinition | undefined {
    return TABLES.get(table);
  }

  /** The live rows of a table in insertion order (do not mutate). Empty for an unknown table. */
  rows(table: string): GlideRecord[] {
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  /** The live row, or undefined (do not mutate). */
  row(table: string, sysId: string): GlideRecord | undefined {
    return this.tables.get(table)?.get(sysId);
  }

  /** The live rows whose `column` equals `value`, in insertion order (do not mutate); indexed for hot lookups. */
  rowsWhere(table: string, column: string, value: string): readonly GlideRecord[] {
    return this.indexes.lookup(table, column, value);
  }

  /** The display value of a referenced record ("" when it does not exist). */
  displayValueOf(table: string, sysId: string): string {
    const def = TABLES.get(table);
    const row = this.row(table, sysId);
    return def && row ? (row[def.displayField] ?? '') : '';
  }

  /**
   * Inserts a row; unknown columns are ignored, journal columns become sys_journal_field rows. A
   * client's sys_id (and sys_created_* / sys_updated_*) is kept; a sys_id already in the table is a
   * 403 unique-key violation (knob `duplicateSysIdInsert`). Throws a WriteError when a rule refuses.
   */
  insert(table: string, fields: Record<string, unknown>, options: WriteOptions = {}): GlideRecord {
    const def = this.require(table);
    const rows = this.tables.get(table)!;
    const at = glideDateTime(options.at ?? this.clock.now());
    const user = options.user ?? ADMIN_USER;
    const allowed = this.maySetSysFields(user);
    const sysFields = allowed ? clientSysFields(fields, options.inputDisplayValue ? this.inputContext(user).timeZone : undefined) : {};
    const requested = allowed ? toGlideString(fields.sys_id) : '';
    const sysId = newRecordId(requested, rows.has(requested), this.knobs.duplicateSysIdInsert);
    const record: GlideRecord = {};
    for (const column of allColumns(def)) record[column] = def.defaults[column] ?? '';
    Object.assign(record, { sys_id: sysId, sys_created_on: at, sys_created_by: user, sys_updated_on: at, sys_updated_by: user, sys_mod_count: '0' }, sysFields);
    const journal = this.assign(def, record, fields, options);
    if (def.numbering) record.number = record.number || this.nextNumber(def);
    BEFORE_RULES[table]?.(record, { userSysId: this.userSysId(user), at });
    if (def.numbering && record.number) this.noteNumber(def, record.number);
    rows.set(sysId, record);
    this.indexes.drop(table);
    this.onChange({ table, operation: 'insert', record: { ...record } });
    this.writeJournal(table, sysId, journal, options);
    return { ...record };
  }

  /**
   * Updates a row; undefined when it does not exist. A write that changes nothing is not committed
   * (like GlideRecord.update()). Throws a WriteError when a rule refuses (nothing is committed).
   */
  update(table: string, sysId: string, fields: Record<string, unknown>, options: WriteOptions = {}): GlideRecord | undefined {
    const def = this.require(table);
    const current = this.tables.get(table)!.get(sysId);
    if (!current) return undefined;
    const at = glideDateTime(options.at ?? this.clock.now());
    const user = options.user ?? ADMIN_USER;
    const next = { ...current };
    const journal = this.assign(def, next, fields, options);
    BEFORE_RULES[table]?.(next, { previous: { ...current }, userSysId: this.userSysId(user), at });
    const changed = Object.keys(next).some((k) => next[k] !== current[k]);
    if (!changed && journal.length === 0) return { ...current };
    this.indexes.drop(table);
    Object.assign(current, next, {
      sys_updated_on: at,
      sys_updated_by: user,
      sys_mod_count: String(Number(current.sys_mod_count || '0') + 1),
    });
    this.onChange({ table, operation: 'update', record: { ...current } });
    this.writeJournal(table, sysId, journal, options);
    return { ...current };
  }

  /** Deletes a row (and the attachments of it), writing sys_audit_delete unless suppressed. False when absent. */
  delete(table: string, sysId: string, options: WriteOptions = {}): boolean {
    this.require(table);
    const rows = this.tables.get(table)!;
    const record = rows.get(sysId);
    if (!record) return false;
    rows.delete(sysId);
    this.indexes.drop(table);
    if (table === 'sys_attachment') this.attachmentContent.delete(sysId);
    if (table !== 'sys_audit_delete' && !this.knobs.auditDeleteSuppressedTables.includes(table)) {
      this.insert('sys_audit_delete', { tablename: table, documentkey: sysId, display_value: record[TABLES.get(table)!.displayField] ?? '' }, options);
    }
    this.onChange({ table, operation: 'delete', record: { ...record } });
    for (const attachment of this.rows('sys_attachment')) {
      if (attachment.table_name === table && attachment.table_sys_id === sysId) this.delete('sys_attachment', attachment.sys_id, options);
    }
    return true;
  }

  private require(table: string): TableDefinition {
    const def = TABLES.get(table);
    if (!def) throw new Error(`Invalid table ${table}`);
    return def;
  }

  /** Copies writable fields onto `record`; returns the journal entries to write. */
  private assign(def: TableDefinition, record: GlideRecord, fields: Record<string, unknown>, options: WriteOptions): Array<[string, string]> {
    const journal: Array<[string, string]> = [];
    const input = options.inputDisplayValue ? this.inputContext(options.user ?? ADMIN_USER) : undefined;
    for (const [key, raw] of Object.entries(fields)) {
      if (PROTECTED.has(key) || !(key in record)) continue;
      const value = toGlideString(raw);
      if (def.journalFields.includes(key)) {
        if (value.trim() !== '' && key !== 'comments_and_work_notes') journal.push([key, value]);
        continue;
      }
      const stored = input ? fromInputDisplayValue(def, key, value, input) : value;
      record[key] = def.maxLengths[key] ? stored.slice(0, def.maxLengths[key]) : stored;
    }
    return journal;
  }

  private inputContext(user: string): InputContext {
    const timeZone = this.rowsWhere('sys_user', 'user_name', user)[0]?.time_zone || 'GMT';
    return { rows: (table) => this.rows(table), timeZone, unknown: this.knobs.unknownInputDisplayValue };
  }

  private maySetSysFields(user: string): boolean {
    return !this.knobs.adminOnlySysFields || user === ADMIN_USER;
  }

  private userSysId(user: string): string {
    return this.rowsWhere('sys_user', 'user_name', user)[0]?.sys_id ?? '';
  }

  private nextNumber(def: TableDefinition): string {
    const n = this.counters.get(def.name) ?? def.numbering!.start;
    return def.numbering!.prefix + String(n).padStart(def.numbering!.digits, '0');
  }

  private noteNumber(def: TableDefinition, number: string): void {
    const digits = number.startsWith(def.numbering!.prefix) ? Number(number.slice(def.numbering!.prefix.length)) : NaN;
    const next = this.counters.get(def.name) ?? def.numbering!.start;
    if (Number.isInteger(digits) && digits >= next) this.counters.set(def.name, digits + 1);
  }

  private writeJournal(table: string, sysId: string, entries: Array<[string, string]>, options: WriteOptions): void {
    for (const [element, value] of entries) {
      this.insert('sys_journal_field', { element, element_id: sysId, name: table, value }, options);
    }
  }
}
