/** How one delivery attempt ended. */
export type OutcomeKind =
  /** 2xx: the subscriber has the event. */
  | 'delivered'
  /** 408, 429, 5xx, network error or timeout: try again later. */
  | 'retryable'
  /** 410 Gone: the subscriber is gone; disable it. */
  | 'gone'
  /** Any other answer (other 4xx, 3xx, 1xx), a refused target or a missing configuration: no retry can help. */
  | 'permanent';

/**
 * One exchange with the subscriber as the event log keeps it: the target (credentials redacted), the request
 * headers with the signature redacted, and the answer's headers and first bytes.
 */
export interface AttemptExchange {
  url: string;
  requestHeaders: Record<string, string>;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  responseTruncated?: boolean;
  /** The body sent, when it is not the CloudEvent itself (another notification format). */
  sentBody?: string;
}

/** The result of one attempt, as `sendEvent` reports it. */
export interface AttemptOutcome {
  kind: OutcomeKind;
  /** HTTP status, when the subscriber answered. */
  status?: number;
  /** What went wrong when there was no answer (or the target was refused): a short code and text. */
  error?: string;
  /** Machine reason for permanent outcomes that are not an HTTP answer, e.g. `ssrf_blocked`, `invalid_callback_url`. */
  reason?: string;
  /** Milliseconds from the start of the request to the answer (or the failure). */
  durationMs: number;
  /** The subscriber's Retry-After, in milliseconds from now, when it sent a usable one. */
  retryAfterMs?: number;
  /** The exchange, when the send was asked to capture it (see SendOptions.captureBytes). */
  exchange?: AttemptExchange;
}

/** Classifies an HTTP status (CONTRACT §4): 2xx delivered; 408/429/5xx retryable; 410 gone; anything else permanent. */
export function classifyStatus(status: number): OutcomeKind {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  if (status === 410) return 'gone';
  return 'permanent';
}

/**
 * Parses a Retry-After header: delay-seconds or an HTTP-date, into milliseconds from `now`
 * (0 for a date already past). Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined; // HTTP-date starts with a day name: "Wed, 21 Oct 2015 07:28:00 GMT"
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
