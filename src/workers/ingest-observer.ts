import type { EnrichmentTrace } from '../enrichment/enrichment-trace';
import type { SnowgateEvent } from '../events/to-cloud-event';
import type { ChangeJob } from '../queues/change-job';

/**
 * What the ingest worker tells an observer (the event log) about each change it takes up: what enriching it
 * took, the event it became, or why it was skipped or failed. Methods must not throw and must not wait.
 */
export interface IngestObserver {
  /** A trace to hand to the enricher for this change; given back to {@link enriched}. */
  traceOf(change: ChangeJob): EnrichmentTrace;
  /** The change was enriched into its event (before any delivery attempt). */
  enriched(change: ChangeJob, event: SnowgateEvent, trace: EnrichmentTrace): void;
  /** The change will not become an event, by choice: `notifications_disabled`, `skip_own_writes`. */
  skipped(change: ChangeJob, reason: string, writeId?: string): void;
  /** An attempt at enriching it failed; `retrying` says whether the job will run again. */
  failed(change: ChangeJob, error: Error, attempt: number, retrying: boolean): void;
}
