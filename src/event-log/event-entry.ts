import type { TracedCall } from '../enrichment/enrichment-trace';
import type { AttemptExchange } from '../events/delivery-outcome';

/**
 * Where an event (or a write) stands in the log:
 * `queued` (accepted, not yet through), `retrying` (a failed attempt, another one scheduled), `held` (the
 * subscriber's breaker holds it), then one of the final states — `delivered` (an event), `succeeded` (a write),
 * `dead_lettered` (given up; replayable), `skipped` (by choice: notifications off, skip_own_writes) or `failed`
 * (enrichment could not be done and will not be retried).
 */
export type EventStatus = 'queued' | 'retrying' | 'held' | 'delivered' | 'succeeded' | 'dead_lettered' | 'skipped' | 'failed';

export const EVENT_STATUSES: readonly EventStatus[] = ['queued', 'retrying', 'held', 'delivered', 'succeeded', 'dead_lettered', 'skipped', 'failed'];

/** Where an entry of the log came from: a change (webhook, poll, backfill), a write (action, direct), or an operator's replay. */
export type EntrySource = 'webhook' | 'poll' | 'backfill' | 'action' | 'direct' | 'replay';

/** One ServiceNow call made for an event's enrichment (a batched read is reported to each event it served). */
export type ServiceNowCallEntry = TracedCall;

/** One HTTP exchange with a subscriber, as kept: the signature and other secret headers redacted, the first 2 KB of the answer (the body sent is the event's body). */
export type ExchangeEntry = Omit<AttemptExchange, 'sentBody'>;

/** One stage of an event's life, in its timeline. `at` is epoch ms. */
export type TimelineEntry =
  | { stage: 'received'; at: number; source: EntrySource; requestId?: string; operation?: string; sysModCount?: string; jobId?: string; replayOf?: string; action?: string }
  | { stage: 'duplicate'; at: number; source: EntrySource; requestId?: string }
  | { stage: 'enriched'; at: number; ms: number; calls: ServiceNowCallEntry[]; cache: { state?: 'hit' | 'miss'; summaryHits: number; summaryMisses: number } }
  | { stage: 'enrichment_failed'; at: number; error: string; attempt: number; retrying: boolean }
  | { stage: 'attempt'; at: number; attempt: number; jobId?: string; inline?: boolean; probe?: boolean; outcome: string; status?: number; ms: number; error?: string; retryInMs?: number; exchange?: ExchangeEntry; result?: Record<string, string> }
  | { stage: 'held'; at: number; jobId?: string; recheckInMs: number }
  | { stage: 'dead_lettered'; at: number; reason: string; message: string }
  | { stage: 'skipped'; at: number; reason: string; writeId?: string };

/** An event (or write) as the list shows it. */
export interface EventSummary {
  id: string;
  kind: 'event' | 'write';
  instanceId: string;
  table: string;
  sysId?: string;
  number?: string;
  /** What the record is about, as the change carried it (short description, journal text, file name), cut at 60 characters. */
  title?: string;
  /** The CloudEvent type, or `write.insert` / `write.update`. */
  type: string;
  operation?: string;
  source: EntrySource;
  status: EventStatus;
  /** Why it was dead-lettered, skipped or failed. */
  reason?: string;
  attempts: number;
  duplicates: number;
  /** The write that caused this event (`snowgatewrite`), when snowgate wrote the change itself. */
  writeId?: string;
  /** When it was received (RFC 3339). */
  receivedAt: string;
  updatedAt: string;
}

/** An event with its body and full timeline, oldest entry first. */
export interface EventDetail extends EventSummary {
  /** The CloudEvent as delivered (or the write's request, secrets redacted); null before it exists. */
  body: unknown;
  timeline: TimelineEntry[];
  /** Timeline entries not kept because the timeline reached its bound. */
  droppedEntries: number;
}

/** The final states: nothing happens to the event any more unless it is replayed. */
export function isFinal(status: EventStatus): boolean {
  return status === 'delivered' || status === 'succeeded' || status === 'dead_lettered' || status === 'skipped' || status === 'failed';
}
