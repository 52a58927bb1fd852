import type { ServiceNowRow } from './enrichment-api';
import type { EnrichmentTrace } from './enrichment-trace';
import type { RecordReader } from './record-reader';

/**
 * Referenced records (accounts, contacts, parent cases) change rarely and are shared by many events:
 * this keeps them in process memory for a short while, so a burst reads each one once.
 */
export class SummaryCache {
  private readonly entries = new Map<string, { at: number; row: Promise<ServiceNowRow | undefined> }>();

  constructor(private readonly reader: RecordReader, private readonly ttlMs = 30_000, private readonly maxEntries = 10_000) {}

  /** The record, from memory when read lately; a hit or a miss is reported to `trace`, and so is the read. */
  get(table: string, sysId: string, trace?: EnrichmentTrace): Promise<ServiceNowRow | undefined> {
    if (!sysId) return Promise.resolve(undefined);
    const key = `${table}/${sysId}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    trace?.cache('summary', hit !== undefined && now - hit.at < this.ttlMs);
    if (hit && now - hit.at < this.ttlMs) return hit.row;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const row = this.reader.read(table, sysId, trace);
    row.catch(() => this.entries.delete(key));
    this.entries.set(key, { at: now, row });
    return row;
  }

  /** Forgets a record (its own change arrived, so the next read must be fresh). */
  forget(table: string, sysId: string): void {
    this.entries.delete(`${table}/${sysId}`);
  }
}
