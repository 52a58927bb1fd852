import type { Instance } from '../instances/instance';
import { attachmentTooLarge, cappedStream, parseAttachmentMetadata, type AttachmentDownload, type AttachmentMetadata } from './attachment-stream';
import { paginate, type NextPage } from './paginate';
import { RequestExecutor, type OnCall, type ServiceNowRequest } from './request-executor';
import { readJson, unexpectedContent } from './response-body';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { parseLinkHeader } from './link-header';
import { listParams, readParams, type ListOptions, type ListPage, type RecordReadOptions, type ServiceNowRecord } from './table-query';
import type { AuthorizationProvider } from './token-types';

/** Options of a ServiceNowClient; all optional. */
export interface ServiceNowClientOptions {
  /** Called once per HTTP exchange (metrics): api family, status (0 = no answer), milliseconds. */
  onCall?: OnCall;
  /** Per-request timeout for JSON calls. Default 30 s. */
  timeoutMs?: number;
  /** Timeout of a whole attachment download. Default 5 min. */
  downloadTimeoutMs?: number;
  /** Overrides of DEFAULT_RETRY_POLICY (4 attempts, 250 ms base, 10 s cap, Retry-After up to 60 s). */
  retry?: Partial<RetryPolicy>;
  /** Page size of the iterators. Default 1000. */
  pageSize?: number;
  /** For tests. Default: global fetch. */
  fetch?: typeof fetch;
  /** How to wait between attempts (tests record the waits). */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Typed access to one instance's Table, Case and Attachment APIs, with the token lifecycle, retries
 * and content checks of RequestExecutor underneath. Knows nothing of Express or queues.
 */
export class ServiceNowClient {
  private readonly http: RequestExecutor;
  private readonly timeoutMs: number;
  private readonly downloadTimeoutMs: number;
  private readonly pageSize: number;

  constructor(readonly instance: Instance, tokens: AuthorizationProvider, options: ServiceNowClientOptions = {}) {
    this.http = new RequestExecutor(instance, tokens, { retry: { ...DEFAULT_RETRY_POLICY, ...options.retry }, onCall: options.onCall, fetch: options.fetch, sleep: options.sleep });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.downloadTimeoutMs = options.downloadTimeoutMs ?? 300_000;
    this.pageSize = options.pageSize ?? 1000;
  }

  /** `GET /api/now/table/{table}/{sysId}`. A missing record throws ServiceNowError 404. */
  async getRecord<T = ServiceNowRecord>(table: string, sysId: string, options?: RecordReadOptions): Promise<T> {
    return this.result<T>({ api: 'table', method: 'GET', path: tablePath(table, sysId), query: readParams(options) });
  }

  /** One page of `GET /api/now/table/{table}` with its total and next link. */
  listRecords<T = ServiceNowRecord>(table: string, options: ListOptions = {}): Promise<ListPage<T>> {
    return this.page<T>('table', { path: tablePath(table), query: listParams(options) }, options);
  }

  /** Every page of a list query (by Link / X-Total-Count, never stopping on a short page). */
  async *pages<T = ServiceNowRecord>(table: string, options: ListOptions = {}): AsyncGenerator<ListPage<T>> {
    const o = { ...options, limit: options.limit ?? this.pageSize, offset: options.offset ?? 0 };
    const first = await this.listRecords<T>(table, o);
    yield* paginate(first, (next) => this.page<T>('table', this.nextRequest(tablePath(table), o, next), o));
  }

  /** Every record of a list query, page after page. */
  async *iterateRecords<T = ServiceNowRecord>(table: string, options: ListOptions = {}): AsyncGenerator<T> {
    for await (const page of this.pages<T>(table, options)) yield* page.rows;
  }

  /** `POST /api/now/table/{table}` → the created record. Not retried on network errors. */
  createRecord<T = ServiceNowRecord>(table: string, fields: Record<string, unknown>, options?: RecordReadOptions): Promise<T> {
    return this.result<T>({ api: 'table', method: 'POST', path: tablePath(table), query: readParams(options), body: fields });
  }

  /** `PATCH /api/now/table/{table}/{sysId}` → the updated record. */
  updateRecord<T = ServiceNowRecord>(table: string, sysId: string, fields: Record<string, unknown>, options?: RecordReadOptions): Promise<T> {
    return this.result<T>({ api: 'table', method: 'PATCH', path: tablePath(table, sysId), query: readParams(options), body: fields });
  }

  /** `DELETE /api/now/table/{table}/{sysId}`. */
  async deleteRecord(table: string, sysId: string): Promise<void> {
    const res = await this.http.send({ api: 'table', method: 'DELETE', path: tablePath(table, sysId), timeoutMs: this.timeoutMs });
    await res.body?.cancel();
  }

  /** `GET /api/sn_customerservice/case/{id}`: id is a sys_id or a case number. */
  getCase<T = ServiceNowRecord>(idOrNumber: string, options: { displayValue?: boolean | 'all' } = {}): Promise<T> {
    const query = { sysparm_display_value: options.displayValue === undefined ? undefined : String(options.displayValue) };
    return this.result<T>({ api: 'case', method: 'GET', path: `/api/sn_customerservice/case/${encodeURIComponent(idOrNumber)}`, query });
  }

  /** `GET /api/now/attachment/{sysId}`. */
  getAttachmentMetadata(sysId: string): Promise<AttachmentMetadata> {
    return this.result<AttachmentMetadata>({ api: 'attachment', method: 'GET', path: `/api/now/attachment/${encodeURIComponent(sysId)}` });
  }

  /** One page of `GET /api/now/attachment?sysparm_query=…` (e.g. `table_sys_id=<id>`). */
  listAttachments(query: string, options: { limit?: number; offset?: number } = {}): Promise<ListPage<AttachmentMetadata>> {
    return this.page<AttachmentMetadata>('attachment', { path: '/api/now/attachment', query: listParams({ query, ...options }) }, options);
  }

  /**
   * `GET /api/now/attachment/{sysId}/file` as a stream plus the parsed `X-Attachment-Metadata`.
   * Refuses up front when the declared size exceeds `maxBytes`; aborts mid-stream once past it.
   */
  async streamAttachment(sysId: string, options: { maxBytes: number }): Promise<AttachmentDownload> {
    const controller = new AbortController();
    const req: ServiceNowRequest = { api: 'attachment', method: 'GET', path: `/api/now/attachment/${encodeURIComponent(sysId)}/file`, accept: '*/*', timeoutMs: this.downloadTimeoutMs, signal: controller.signal };
    const res = await this.http.send(req);
    const metadata = parseAttachmentMetadata(res.headers.get('x-attachment-metadata'));
    const contentType = res.headers.get('content-type') ?? undefined;
    if (!metadata && /text\/html/i.test(contentType ?? '')) throw unexpectedContent(this.instance.instanceUrl, contentType ?? null, await res.text());
    const lengthHeader = res.headers.get('content-length');
    const contentLength = lengthHeader === null ? undefined : Number(lengthHeader);
    const declared = Math.max(contentLength ?? 0, Number(metadata?.size_bytes ?? 0) || 0);
    if (declared > options.maxBytes || !res.body) {
      controller.abort();
      if (declared > options.maxBytes) throw attachmentTooLarge(sysId, options.maxBytes);
    }
    const body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    return { metadata, contentType, contentLength, stream: cappedStream(body, sysId, options.maxBytes, () => controller.abort()) };
  }

  private async result<T>(req: Omit<ServiceNowRequest, 'timeoutMs'>): Promise<T> {
    const res = await this.http.send({ ...req, timeoutMs: this.timeoutMs });
    return (await readJson<{ result: T }>(res, this.instance.instanceUrl)).result;
  }

  private async page<T>(api: string, req: { path: string; query?: Record<string, string | undefined> }, o: { limit?: number }): Promise<ListPage<T>> {
    const res = await this.http.send({ api, method: 'GET', ...req, timeoutMs: this.timeoutMs });
    const body = await readJson<{ result: T[] }>(res, this.instance.instanceUrl);
    const linkHeader = res.headers.get('link');
    const totalHeader = res.headers.get('x-total-count');
    const total = totalHeader === null || totalHeader === '' ? undefined : Number(totalHeader);
    const asked = this.http.url(req).searchParams;
    const offset = Number(asked.get('sysparm_offset') ?? 0);
    const limitParam = asked.get('sysparm_limit');
    return {
      rows: Array.isArray(body.result) ? body.result : [],
      total: Number.isFinite(total) ? total : undefined,
      nextUrl: parseLinkHeader(linkHeader).next,
      linked: linkHeader !== null && linkHeader !== '',
      offset,
      limit: limitParam ? Number(limitParam) : o.limit,
    };
  }

  private nextRequest(path: string, o: ListOptions, next: NextPage): { path: string; query?: Record<string, string | undefined> } {
    return 'url' in next ? { path: next.url } : { path, query: listParams({ ...o, offset: next.offset }) };
  }
}

function tablePath(table: string, sysId?: string): string {
  return `/api/now/table/${encodeURIComponent(table)}${sysId ? `/${encodeURIComponent(sysId)}` : ''}`;
}
