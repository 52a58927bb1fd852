import { setTimeout as sleep } from 'node:timers/promises';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import { parseRetryAfter, RETRYABLE_STATUSES, backoffDelay, retryDelay, type RetryPolicy } from './retry-policy';
import { isSsrfRefusal } from '../lib/ssrf-guard';
import { guardedFetch, targetRefused } from './outbound-guard';
import { parseServiceNowError } from './servicenow-error';
import type { AuthorizationProvider } from './token-types';

/** Reports one HTTP exchange: API family (`table`, `case`, `attachment`), status (0 = no answer), duration. */
export type OnCall = (api: string, status: number, ms: number) => void;

/** One request to ServiceNow. `path` is `/api/...` or an absolute URL on the instance's origin (a Link). */
export interface ServiceNowRequest {
  api: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  accept?: string;
  /** Timeout for this exchange (headers and body). */
  timeoutMs: number;
  /** Aborts the exchange from outside (e.g. a size cap on a stream). */
  signal?: AbortSignal;
}

export interface ExecutorOptions {
  retry: RetryPolicy;
  onCall?: OnCall;
  fetch?: typeof fetch;
  /** How to wait between attempts (tests record the waits). Default: timers/promises setTimeout. */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Sends requests with the instance's Authorization header and the resilience rules: retries with
 * full-jitter backoff on 429/502/503/504 (honouring Retry-After) and on network errors (not for POST,
 * which may have been applied), never on other 4xx; one token refresh + one retry on a 401. An instance URL
 * on a non-public address is refused before anything is sent, unless `servicenow.allow_private_targets`.
 * Returns the 2xx Response with its body unread; throws ServiceNowError / AppError otherwise.
 */
export class RequestExecutor {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(
    private readonly instance: Instance,
    private readonly auth: AuthorizationProvider,
    private readonly options: ExecutorOptions,
  ) {
    this.fetchImpl = guardedFetch(instance, options.fetch ?? fetch);
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  /**
   * The absolute URL for a request. An absolute URL (a Link header) is re-based onto the instance's
   * own origin: the token never goes to another host, and a custom instance domain still pages.
   */
  url(req: Pick<ServiceNowRequest, 'path' | 'query'>): URL {
    const base = new URL(this.instance.instanceUrl);
    let url = /^https?:\/\//.test(req.path) ? new URL(req.path) : new URL(base.pathname.replace(/\/+$/, '') + req.path, base.origin);
    if (url.origin !== base.origin) url = new URL(url.pathname + url.search, base.origin);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async send(req: ServiceNowRequest): Promise<Response> {
    const url = this.url(req);
    const { retry } = this.options;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const authorization = await this.auth.authorizationHeader(this.instance).catch((err: unknown) => {
        throw isSsrfRefusal(err) ? targetRefused(this.instance, err) : err;
      });
      const started = Date.now();
      let res: Response;
      try {
        res = await this.fetchImpl(url, this.init(req, authorization));
      } catch (err) {
        this.report(req.api, 0, started);
        if (req.signal?.aborted) throw err;
        if (isSsrfRefusal(err)) throw targetRefused(this.instance, err);
        if (req.method !== 'POST' && attempt < retry.maxAttempts) {
          await this.sleep(backoffDelay(attempt, retry));
          continue;
        }
        throw unreachable(this.instance, err);
      }
      this.report(req.api, res.status, started);
      if (res.ok) return res;
      if (res.status === 401 && !refreshed && (await this.auth.invalidate(this.instance, authorization))) {
        refreshed = true;
        attempt--;
        await discard(res);
        continue;
      }
      const retryAfter = res.headers.get('retry-after');
      if (RETRYABLE_STATUSES.has(res.status) && attempt < retry.maxAttempts) {
        const wait = retryDelay(retryAfter, attempt, retry);
        if (wait !== undefined) {
          await discard(res);
          await this.sleep(wait);
          continue;
        }
      }
      throw parseServiceNowError(res.status, await res.text().catch(() => ''), parseRetryAfter(retryAfter));
    }
  }

  private init(req: ServiceNowRequest, authorization: string): RequestInit {
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const headers: Record<string, string> = { Accept: req.accept ?? 'application/json', Authorization: authorization };
    let body: string | undefined;
    if (req.method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (req.body !== undefined) body = JSON.stringify(req.body);
    }
    return { method: req.method, headers, body, redirect: 'manual', signal: req.signal ? AbortSignal.any([timeout, req.signal]) : timeout };
  }

  private report(api: string, status: number, started: number): void {
    try {
      this.options.onCall?.(api, status, Date.now() - started);
    } catch {
      // a metrics hook must never break a call
    }
  }
}

function unreachable(instance: Instance, err: unknown): AppError {
  const e = err as Error & { cause?: { code?: string } };
  const why = e?.name === 'TimeoutError' ? 'timed out' : e?.cause?.code ?? e?.message ?? String(err);
  return new AppError('servicenow_unreachable', `ServiceNow ${instance.instanceUrl} unreachable: ${why}`, 502, { retryable: true, cause: err });
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // nothing to release
  }
}
