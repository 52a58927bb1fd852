import { AppError } from '../lib/errors';

const CODES: Record<number, string> = {
  400: 'servicenow_bad_request',
  401: 'servicenow_unauthorized',
  403: 'servicenow_forbidden',
  404: 'servicenow_not_found',
  429: 'servicenow_rate_limited',
};

/**
 * A non-2xx answer from a ServiceNow REST API, with ServiceNow's own error body
 * (`{"error":{"message","detail"},"status":"failure"}`; `detail` may be null) parsed out.
 * Retryable for 408, 429 and 5xx. Seen from the gateway's HTTP side it is a 502 (404 stays 404).
 */
export class ServiceNowError extends AppError {
  constructor(
    /** ServiceNow's HTTP status. */
    public readonly status: number,
    /** `error.message` of ServiceNow's body (or a summary of a body that was not JSON). */
    public readonly serviceNowMessage: string,
    /** `error.detail`, null when ServiceNow sent none. */
    public readonly detail: string | null,
    /** Parsed `Retry-After`, when ServiceNow sent one. */
    public readonly retryAfterMs?: number,
  ) {
    super(
      CODES[status] ?? (status >= 500 ? 'servicenow_server_error' : 'servicenow_error'),
      `ServiceNow answered ${status}: ${serviceNowMessage}${detail ? ` (${detail})` : ''}`,
      status === 404 ? 404 : 502,
      {
        retryable: status === 408 || status === 429 || status >= 500,
        headers: retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) } : undefined,
      },
    );
    this.name = 'ServiceNowError';
  }
}

/** Builds a ServiceNowError from a status and the raw body text. */
export function parseServiceNowError(status: number, bodyText: string, retryAfterMs?: number): ServiceNowError {
  try {
    const body = JSON.parse(bodyText) as { error?: { message?: unknown; detail?: unknown } };
    if (body?.error && typeof body.error === 'object') {
      const detail = typeof body.error.detail === 'string' ? body.error.detail : null;
      return new ServiceNowError(status, String(body.error.message ?? 'unknown error'), detail, retryAfterMs);
    }
  } catch {
    // not JSON: summarize below
  }
  const text = bodyText.trim();
  const summary = /^<|<html/i.test(text) ? 'an HTML page' : text.slice(0, 200) || 'an empty body';
  return new ServiceNowError(status, summary, null, retryAfterMs);
}
