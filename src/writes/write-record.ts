import type { WriteAttempt, WriteJob, WriteOrigin, WriteRequest, WriteResult } from '../queues/write-job';

/** Why a write was given up. */
export type WriteDeadLetterReason =
  /** ServiceNow refused it (a 4xx other than 401-after-refresh-and-retry, 408 and 429): no retry can fix it. */
  | 'rejected'
  /** Retryable failures (429, 5xx, no answer) until the schedule was spent. */
  | 'retries_exhausted'
  /** An update by `number` found no such record. */
  | 'record_not_found'
  /** The instance no longer exists. */
  | 'not_configured';

/** The error of a write, as `GET …/writes/{id}` shows it. */
export interface WriteError {
  code: string;
  message: string;
  /** ServiceNow's HTTP status, and its own `error.message` / `error.detail`, when ServiceNow answered. */
  status?: number;
  serviceNowMessage?: string;
  detail?: string | null;
}

/** The payload of a `write-dead-letter` job (job id = write id): enough to judge and to replay the write. */
export interface WriteDeadLetter {
  writeId: string;
  instanceId: string;
  job: WriteJob;
  reason: WriteDeadLetterReason;
  error: WriteError;
  /** The `write` job that gave up. */
  jobId: string;
  /** Epoch ms. */
  deadLetteredAt: number;
}

/** One attempt, reported to {@link WriteHooks.onAttempt}: the request, ServiceNow's status, the latency, the error. */
export interface WriteAttemptReport extends WriteAttempt {
  writeId: string;
  instanceId: string;
  table: string;
  origin: WriteOrigin;
  /** The write as accepted (its fields may hold customer data: a hook that keeps them must protect them). */
  request: WriteRequest;
  /** ServiceNow's answer, when the attempt went through. */
  result?: WriteResult;
  /** The write job (`{writeId}-r{n}` for a replay). */
  jobId?: string;
}

/**
 * Callbacks of the write worker, for metrics and the event log; they must not throw (errors are caught and
 * ignored). Each attempt reports the request, ServiceNow's status, the latency and the error.
 */
export interface WriteHooks {
  onAttempt?(report: WriteAttemptReport): void;
  /** The write went through (or was found committed by an earlier attempt); `ms` since it was accepted. */
  onSucceeded?(job: WriteJob, result: WriteResult, ms: number): void;
  onDeadLettered?(entry: WriteDeadLetter): void;
}
