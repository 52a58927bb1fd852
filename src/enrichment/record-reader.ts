import type { EnrichmentApi, ServiceNowRow } from './enrichment-api';
import { failedStatus, type EnrichmentTrace } from './enrichment-trace';

interface Waiter {
  resolve: (row: ServiceNowRow | undefined) => void;
  reject: (err: unknown) => void;
  trace?: EnrichmentTrace;
}

interface Batch {
  waiters: Map<string, Waiter[]>;
  timer?: NodeJS.Timeout;
}

export interface RecordReaderOptions {
  /** Most sys_ids in one `sys_idIN` query (default 100). */
  maxBatch?: number;
  /** How long a read waits for company before it goes (default 15 ms: at a few hundred changes a second, batches of several records). */
  windowMs?: number;
  /** Called once per ServiceNow query, with how many records it asked for. */
  onQuery?: (table: string, size: number) => void;
}

/**
 * Reads records by sys_id for one instance, grouping concurrent reads of one table into a single
 * `sys_idIN…` query (bounded batch size) and sharing one read among concurrent callers of the same record.
 */
export class RecordReader {
  private readonly batches = new Map<string, Batch>();
  private readonly maxBatch: number;
  private readonly windowMs: number;

  constructor(private readonly api: EnrichmentApi, private readonly options: RecordReaderOptions = {}) {
    this.maxBatch = options.maxBatch ?? 100;
    this.windowMs = options.windowMs ?? 15;
  }

  /**
   * The record with display values (`sysparm_display_value=all`), or undefined when it does not exist. The
   * query that reads it is reported to `trace` (and to the trace of every other read it served).
   */
  read(table: string, sysId: string, trace?: EnrichmentTrace): Promise<ServiceNowRow | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(table);
      if (!batch) {
        batch = { waiters: new Map() };
        this.batches.set(table, batch);
        batch.timer = setTimeout(() => this.flush(table), this.windowMs);
      }
      const list = batch.waiters.get(sysId) ?? [];
      list.push({ resolve, reject, trace });
      batch.waiters.set(sysId, list);
      if (batch.waiters.size >= this.maxBatch) this.flush(table);
    });
  }

  private flush(table: string): void {
    const batch = this.batches.get(table);
    if (!batch) return;
    this.batches.delete(table);
    clearTimeout(batch.timer);
    const ids = [...batch.waiters.keys()];
    this.options.onQuery?.(table, ids.length);
    const started = Date.now();
    this.api
      .queryTable(table, { query: `sys_idIN${ids.join(',')}`, displayValue: 'all', limit: ids.length })
      .then((rows) => {
        reportCall(batch, { api: 'table', table, status: 200, ms: Date.now() - started, records: ids.length });
        const byId = new Map<string, ServiceNowRow>();
        for (const row of rows) byId.set(fieldValue(row.sys_id), row);
        for (const [id, waiters] of batch.waiters) for (const w of waiters) w.resolve(byId.get(id));
      })
      .catch((err) => {
        reportCall(batch, { api: 'table', table, status: failedStatus(err), ms: Date.now() - started, records: ids.length, error: (err as Error).message });
        for (const waiters of batch.waiters.values()) for (const w of waiters) w.reject(err);
      });
  }
}

/** Reports one query to every trace among its waiters, once each. */
function reportCall(batch: Batch, call: Parameters<EnrichmentTrace['call']>[0]): void {
  const traces = new Set<EnrichmentTrace>();
  for (const waiters of batch.waiters.values()) for (const w of waiters) if (w.trace) traces.add(w.trace);
  for (const trace of traces) trace.call(call);
}

/** The raw value of a field in any display-value shape (`"x"`, `{value}`, `{display_value, value}`). */
export function fieldValue(field: unknown): string {
  if (field === undefined || field === null) return '';
  if (typeof field === 'object') return String((field as { value?: unknown }).value ?? '');
  return String(field);
}

/** The display value of a field in any display-value shape. */
export function displayValue(field: unknown): string {
  if (field === undefined || field === null) return '';
  if (typeof field === 'object') {
    const f = field as { display_value?: unknown; value?: unknown };
    return String(f.display_value ?? f.value ?? '');
  }
  return String(field);
}
