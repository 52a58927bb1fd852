import type { DeliveryHooks } from '../events/delivery-record';
import type { EnqueueObserver } from '../ingest/change-enqueuer';
import type { RedisClient } from '../lib/redis-connections';
import type { PartitionLayout } from '../queues/partition-layout';
import type { IngestObserver } from '../workers/ingest-observer';
import type { WriteEnqueueObserver } from '../writes/write-enqueuer';
import type { WriteHooks } from '../writes/write-record';
import { changeStages } from './change-stages';
import { deliveryStages } from './delivery-stages';
import { EventRecorder } from './event-recorder';
import { EventStore } from './event-store';
import { replayStage, type ReplayReport } from './replay-stage';
import { writeStages } from './write-stages';

/** How many bytes of a subscriber's answer an attempt keeps. */
export const RESPONSE_SAMPLE_BYTES = 2048;

/** What the event log is made of: the recorder and what each stage reports to it, and the store that reads it. */
export interface EventLog {
  recorder: EventRecorder;
  store: EventStore;
  /** Received (webhook, poll, backfill) and duplicates; enrichment, skips and failures. */
  changes: EnqueueObserver & IngestObserver;
  /** Every delivery attempt, breaker holds, dead letters. */
  deliveries: DeliveryHooks;
  /** Writes into ServiceNow: accepted, attempts, dead letters. */
  writes: WriteEnqueueObserver & WriteHooks;
  replayed(report: ReplayReport): void;
}

/** Where the log records and reads, and how much it keeps (SNOWGATE_EVENT_LOG_DAYS, SNOWGATE_EVENT_LOG_MAX). */
export interface EventLogOptions {
  /** Where stages are recorded: an auto-pipelined connection that fails fast (nothing piles up while Redis is away). */
  recordTo: RedisClient;
  /** Where the API reads. */
  readFrom: RedisClient;
  /**
   * The deployment's partitions (SNOWGATE_PARTITIONS): the log spreads over them by event id (see
   * EventLogPartitions). A string is the base prefix alone (SNOWGATE_QUEUE_PREFIX): one partition.
   */
  layout: PartitionLayout | string;
  days: number;
  maxPerInstance: number;
  onError?: (err: Error) => void;
}

/** The event log of one process. */
export function createEventLog(o: EventLogOptions): EventLog {
  const recorder = new EventRecorder(o.recordTo, { layout: o.layout, days: o.days, maxPerInstance: o.maxPerInstance, onError: o.onError });
  return {
    recorder,
    store: new EventStore(o.readFrom, o.layout),
    changes: changeStages(recorder),
    deliveries: deliveryStages(recorder),
    writes: writeStages(recorder),
    replayed: replayStage(recorder),
  };
}
