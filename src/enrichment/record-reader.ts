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
  /**
   * How long reads of a table wait while a query of that table is in flight before they go anyway in a query
   * of their own (default 250 ms), so a slow or retried query does not hold the next ones for long.
   */
  maxWaitMs?: number;
  /** Called once per ServiceNow query, with how many records it asked for. */
  onQuery?: (table: string, size: number) => void;
}

/**
 * Reads records by sys_id for one instance, grouping concurrent reads of one table into a single
 * `sys_idIN…` query (bounded batch size) and sharing one read among concurrent callers of the same record.
 * No read waits for company that may never come: when no query of its table is in flight, the reads asked for
 * in this event-loop turn go at its end; while one is in flight, the reads asked for meanwhile gather and go
 * together as soon as it is answered (or after `maxWaitMs`). A lone change is read at once; under load, each
 * query carries what arrived during the previous one.
 */
export class RecordReader {
  private readonly batches = new Map<string, Batch>();
  private readonly inFlight = new Map<string, number>();
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;

  constructor(private readonly api: EnrichmentApi, private readonly options: RecordReaderOptions = {}) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxWaitMs = options.maxWaitMs ?? 250;
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
        if (!this.inFlight.get(table)) this.schedule(table, batch);
        else batch.timer = setTimeout(() => this.flush(table), this.maxWaitMs);
      }
      const list = batch.waiters.get(sysId) ?? [];
      list.push({ resolve, reject, trace });
      batch.waiters.set(sysId, list);
      if (batch.waiters.size >= this.maxBatch) this.flush(table);
    });
  }

  /** Sends a new batch at the end of this turn, with every read of the table asked for until then. */
  private schedule(table: string, batch: Batch): void {
    setImmediate(() => {
      if (this.batches.get(table) === batch) this.flush(table);
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
    this.inFlight.set(table, (this.inFlight.get(table) ?? 0) + 1);
    this.api
      .queryTable(table, { query: `sys_idIN${ids.join(',')}`, displayValue: 'all', limit: ids.length })
      .then((rows) => {
        this.settled(table);
        reportCall(batch, { api: 'table', table, status: 200, ms: Date.now() - started, records: ids.length });
        const byId = new Map<string, ServiceNowRow>();
        for (const row of rows) byId.set(fieldValue(row.sys_id), row);
        for (const [id, waiters] of batch.waiters) for (const w of waiters) w.resolve(byId.get(id));
      })
      .catch((err) => {
        this.settled(table);
        reportCall(batch, { api: 'table', table, status: failedStatus(err), ms: Date.now() - started, records: ids.length, error: (err as Error).message });
        for (const waiters of batch.waiters.values()) for (const w of waiters) w.reject(err);
      });
  }

  /** A query of the table was answered: what gathered meanwhile goes now. */
  private settled(table: string): void {
    const left = (this.inFlight.get(table) ?? 1) - 1;
    if (left > 0) this.inFlight.set(table, left);
    else this.inFlight.delete(table);
    if (this.batches.has(table)) this.flush(table);
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
