import type { Instance } from '../instances/instance';
import { RequestExecutor, type OnCall, type ServiceNowRequest } from './request-executor';
import { readJson } from './response-body';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { ServiceNowError } from './servicenow-error';
import type { ServiceNowRecord } from './table-query';
import type { AuthorizationProvider } from './token-types';

/** One write to the Table API. */
export interface TableWriteCall {
  table: string;
  operation: 'insert' | 'update';
  /** The record to update. */
  sysId?: string;
  fields: Record<string, unknown>;
  /** `sysparm_input_display_value=true`: ServiceNow resolves choice labels and reference display values. */
  inputDisplayValue?: boolean;
}

/** ServiceNow's answer to a write that went through. */
export interface TableWriteAnswer {
  status: number;
  record: ServiceNowRecord;
  durationMs: number;
}

/** The fields a write asks back: enough to report the result and recognise its echo. */
export const WRITE_RESULT_FIELDS = 'sys_id,number,sys_mod_count,sys_updated_on';

function tablePath(table: string, sysId?: string): string {
  return `/api/now/table/${encodeURIComponent(table)}${sysId ? `/${encodeURIComponent(sysId)}` : ''}`;
}

/**
 * Writes one record through the Table API (`POST` to insert, `PATCH` to update) with the instance's managed
 * token — one refresh and one retry on a 401 — and nothing else retried in-process: the write queue retries
 * (honouring Retry-After), so a throttled instance is waited out in Redis, not in a worker. Also the reads
 * a careful writer needs: a record by sys_id, or by one field's value.
 */
export class TableWriter {
  private readonly http: RequestExecutor;
  private readonly timeoutMs: number;

  constructor(readonly instance: Instance, tokens: AuthorizationProvider, options: { onCall?: OnCall; timeoutMs?: number; fetch?: typeof fetch } = {}) {
    this.http = new RequestExecutor(instance, tokens, { retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }, onCall: options.onCall, fetch: options.fetch });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The request a write sends, exactly (the test route shows it). */
  request(call: TableWriteCall): ServiceNowRequest {
    return {
      api: 'table',
      method: call.operation === 'insert' ? 'POST' : 'PATCH',
      path: tablePath(call.table, call.operation === 'update' ? call.sysId : undefined),
      query: { sysparm_exclude_reference_link: 'true', sysparm_fields: WRITE_RESULT_FIELDS, ...(call.inputDisplayValue ? { sysparm_input_display_value: 'true' } : {}) },
      body: call.fields,
      timeoutMs: this.timeoutMs,
    };
  }

  url(req: Pick<ServiceNowRequest, 'path' | 'query'>): URL {
    return this.http.url(req);
  }

  /** Sends the write; throws ServiceNowError (with ServiceNow's status and message) or AppError (no answer). */
  async write(call: TableWriteCall): Promise<TableWriteAnswer> {
    const started = Date.now();
    const res = await this.http.send(this.request(call));
    const body = await readJson<{ result: ServiceNowRecord }>(res, this.instance.instanceUrl);
    return { status: res.status, record: body.result ?? {}, durationMs: Date.now() - started };
  }

  /** The record with this sys_id, or undefined when ServiceNow has none. */
  async find(table: string, sysId: string): Promise<ServiceNowRecord | undefined> {
    try {
      const res = await this.http.send({ api: 'table', method: 'GET', path: tablePath(table, sysId), query: { sysparm_fields: WRITE_RESULT_FIELDS }, timeoutMs: this.timeoutMs });
      return (await readJson<{ result: ServiceNowRecord }>(res, this.instance.instanceUrl)).result;
    } catch (err) {
      if (err instanceof ServiceNowError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Up to `limit` records of an encoded query, with the given fields. */
  async list(table: string, query: string, fields: string, limit: number): Promise<ServiceNowRecord[]> {
    const params = { sysparm_query: query, sysparm_limit: String(limit), sysparm_fields: fields, sysparm_no_count: 'true', sysparm_exclude_reference_link: 'true' };
    const res = await this.http.send({ api: 'table', method: 'GET', path: tablePath(table), query: params, timeoutMs: this.timeoutMs });
    const rows = (await readJson<{ result: ServiceNowRecord[] }>(res, this.instance.instanceUrl)).result;
    return Array.isArray(rows) ? rows : [];
  }

  /**
   * The first record whose `field` equals `value`, checked on the rows returned: ServiceNow ignores a query
   * on a field the table does not have and would return every row.
   */
  async findBy(table: string, field: string, value: string): Promise<ServiceNowRecord | undefined> {
    const rows = await this.list(table, `${field}=${value}`, `${WRITE_RESULT_FIELDS},${field}`, 1);
    return rows.find((row) => row[field] === value);
  }
}
