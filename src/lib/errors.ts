/** The one error type: a code for machines, a message for people, an HTTP status, and whether a retry may help. */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly httpStatus = 500,
    public readonly options: { retryable?: boolean; details?: unknown[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? this.httpStatus >= 500;
  }

  /** The JSON error shape of the contract: `{"error": {"code", "message", "details"?}}`. */
  toBody(): { error: { code: string; message: string; details?: unknown[] } } {
    return { error: { code: this.code, message: this.message, ...(this.options.details ? { details: this.options.details } : {}) } };
  }
}

/** Redis did not answer (or not in time): 503 with `Retry-After: 5`, so the client tries again a little later. */
export function redisUnavailable(code: 'queue_unavailable' | 'store_unavailable', message: string, cause: unknown): AppError {
  return new AppError(code, message, 503, { headers: { 'Retry-After': '5' }, cause });
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
