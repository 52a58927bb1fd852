import type { GlideRecord } from './glide-values';

/**
 * Equality indexes over the store's live rows (`table|column` → value → rows), built on first lookup
 * and dropped whenever the table is written, so hot lookups (journal entries of a record, a user by
 * user_name) do not scan the table each time.
 */
export class RowIndexes {
  private readonly indexes = new Map<string, Map<string, GlideRecord[]>>();

  constructor(private readonly rowsOf: (table: string) => Iterable<GlideRecord>) {}

  /** The rows whose `column` equals `value`, in insertion order. */
  lookup(table: string, column: string, value: string): readonly GlideRecord[] {
    const key = `${table}|${column}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = new Map();
      for (const row of this.rowsOf(table)) {
        const list = index.get(row[column]) ?? [];
        list.push(row);
        index.set(row[column], list);
      }
      this.indexes.set(key, index);
    }
    return index.get(value) ?? [];
  }

  /** Forgets every index of `table` (call on each write to it). */
  drop(table: string): void {
    for (const key of this.indexes.keys()) if (key.startsWith(`${table}|`)) this.indexes.delete(key);
  }
}
