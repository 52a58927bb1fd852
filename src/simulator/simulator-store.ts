import { attachFile, type NewAttachment } from './attachment-files';
import type { GlideRecord, RecordStore, WriteOptions } from './record-store';

/**
 * Programmatic access to the simulator's data for tests. Writes behave exactly like API writes:
 * sys_mod_count / sys_updated_*, journal rows for comments and work_notes, sys_audit_delete rows, webhooks.
 */
export interface SimulatorStore {
  /**
   * Inserts a row (unknown columns ignored); throws for an unknown table, and a WriteError when a rule
   * refuses it (incident data policy, duplicate sys_id). Returns a copy.
   */
  insert(table: string, fields: Record<string, unknown>, options?: WriteOptions): GlideRecord;
  /** Updates a row; undefined when absent; a WriteError when a rule refuses it. A write that changes nothing is not committed. */
  update(table: string, sysId: string, fields: Record<string, unknown>, options?: WriteOptions): GlideRecord | undefined;
  /** Deletes a row; false when absent. */
  delete(table: string, sysId: string, options?: WriteOptions): boolean;
  /** A copy of a row, or undefined. */
  get(table: string, sysId: string): GlideRecord | undefined;
  /** Copies of every row of a table, in insertion order. */
  list(table: string): GlideRecord[];
  /** Attaches a file (bytes + sys_attachment row), like `POST /api/now/attachment/file`. */
  attach(file: NewAttachment, options?: WriteOptions): GlideRecord;
  /** The bytes of an attachment, or undefined. */
  content(attachmentSysId: string): Buffer | undefined;
}

/** Wraps the record store in the public, copy-returning API. */
export function createSimulatorStore(store: RecordStore): SimulatorStore {
  return {
    insert: (table, fields, options) => store.insert(table, fields, options),
    update: (table, sysId, fields, options) => store.update(table, sysId, fields, options),
    delete: (table, sysId, options) => store.delete(table, sysId, options),
    get: (table, sysId) => {
      const row = store.row(table, sysId);
      return row ? { ...row } : undefined;
    },
    list: (table) => store.rows(table).map((r) => ({ ...r })),
    attach: (file, options) => attachFile(store, file, options),
    content: (sysId) => store.attachmentContent.get(sysId),
  };
}
