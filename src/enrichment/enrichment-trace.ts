/** One ServiceNow call made while enriching a change. */
export interface TracedCall {
  /** `table` (a Table API read), `attachment` (metadata) or `attachment_file` (the bytes). */
  api: string;
  table?: string;
  /** HTTP status; 0 when ServiceNow did not answer. */
  status: number;
  ms: number;
  /** Records the call asked for: a batched read serves several changes and is reported to each. */
  records?: number;
  error?: string;
}

/**
 * What enriching one change did, told to whoever watches (the event log): the ServiceNow calls made for it
 * and the caches that answered instead. Methods must not throw.
 */
export interface EnrichmentTrace {
  call(call: TracedCall): void;
  cache(cache: 'state' | 'summary', hit: boolean): void;
}

/** The status of a failed call: ServiceNow's HTTP status when it answered, else 0. */
export function failedStatus(err: unknown): number {
  const status = (err as { status?: unknown })?.status;
  return typeof status === 'number' ? status : 0;
}
