import type { AttemptOutcome, OutcomeKind } from './delivery-outcome';
import type { SnowgateEvent } from './to-cloud-event';

/** One delivery attempt as kept in a job's history and in a dead letter. */
export interface AttemptRecord {
  /** 1-based attempt number within this delivery job. */
  attempt: number;
  /** When the attempt started, RFC 3339. */
  at: string;
  kind: OutcomeKind;
  status?: number;
  error?: string;
  durationMs: number;
  /** The delay chosen before the next attempt, when one was scheduled. */
  retryInMs?: number;
  /** Sent as the probe of an open circuit breaker: a failed probe spends no attempt of the schedule. */
  probe?: boolean;
}

/** The payload of a `deliver` job. Job name = event type; job id = event id, or `{eventId}-r{n}` for replay n. */
export interface DeliveryJobData {
  /** The CloudEvent in its JSON form; its `id` never changes, whatever the job id. */
  event: Record<string, unknown>;
  instanceId: string;
  /** Attempts so far, oldest first. */
  attempts: AttemptRecord[];
  /** The job id this delivery replays, if it is a replay. */
  replayOf?: string;
  /** Epoch ms at which the delivery was enqueued. */
  enqueuedAt: number;
  /** The record lane this event waits its turn in (records that change over time). */
  lane?: { key: string; seq: number };
  /** How often this delivery has waited for an earlier event of its record. */
  laneWaits?: number;
  /** A first attempt the ingest worker already made inline (and that did not deliver): the job settles it instead of sending again. */
  firstAttempt?: { at: string; outcome: AttemptOutcome };
}

/** Why an event was dead-lettered. */
export type DeadLetterReason =
  /** Retryable failures until the schedule was spent: every attempt failed, or its span passed while the subscriber's breaker stayed open. */
  | 'retries_exhausted'
  /** The subscriber answered a non-retryable status (4xx other than 408/410/429, or 3xx). */
  | 'rejected'
  /** The subscriber answered 410 Gone; it is now disabled. */
  | 'subscriber_gone'
  /** The subscriber was disabled by an earlier 410; nothing was sent. */
  | 'subscriber_disabled'
  /** The callback URL resolves to a non-public address. */
  | 'ssrf_blocked'
  /** The callback URL is not an http(s) URL. */
  | 'invalid_callback_url'
  /** The instance is unknown or has notifications off. */
  | 'not_configured'
  /** Notifications are on but the callback URL or signature key is missing: replay once it is set. */
  | 'no_subscriber'
  /** The signature key cannot be used (not base64). */
  | 'invalid_signature_key';

/** The payload of a `dead-letter` job (job id = event id): everything an operator needs to judge and replay. */
export interface DeadLetterEntry {
  event: Record<string, unknown>;
  instanceId: string;
  reason: DeadLetterReason;
  /** Human text: the last status or error. */
  message: string;
  attempts: AttemptRecord[];
  /** The `deliver` job that gave up. */
  deliveryJobId: string;
  /** Epoch ms. */
  deadLetteredAt: number;
}

/** One attempt, reported to {@link DeliveryHooks.onAttempt}. */
export interface AttemptReport extends AttemptOutcome {
  eventId: string;
  eventType: string;
  instanceId: string;
  attempt: number;
  /** The delay chosen before the next attempt (Retry-After or backoff), when a retry was scheduled. */
  retryInMs?: number;
  /** When it was sent, RFC 3339. */
  at?: string;
  /** The delivery job (`{eventId}-r{n}` for a replay); absent for the inline first attempt. */
  jobId?: string;
  /** Made inline by the ingest worker, right after enrichment. */
  inline?: boolean;
  /** Sent as the probe of an open circuit breaker. */
  probe?: boolean;
}

/** A delivery the subscriber's open circuit breaker holds, reported to {@link DeliveryHooks.onHeld}. */
export interface HoldReport {
  eventId: string;
  instanceId: string;
  jobId: string;
  /** When it looks again by itself, should no probe or release wake it first. */
  recheckInMs: number;
}

/** Callbacks for metrics and the event log; they must not throw (errors are caught and ignored). */
export interface DeliveryHooks {
  onAttempt?(outcome: AttemptReport): void;
  onHeld?(report: HoldReport): void;
  onDelivered?(event: SnowgateEvent, ms: number, attempts: number): void;
  onDeadLettered?(entry: DeadLetterEntry): void;
}
