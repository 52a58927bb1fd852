/** Thrown for a retryable outcome; carries the delay the processor (delivery or write) chose, which the backoff strategy returns. */
export class RetryLaterError extends Error {
  constructor(message: string, public readonly retryInMs: number) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
