/** BullMQ queue names. Keys are `{prefix}:{name}:…`; the prefix (a partition's or the base) is a hash tag, so each queue fits one cluster slot. */
export const QUEUE_NAMES = {
  /** Groups of changes accepted while the api was saturated, one job per group, fanned out into `ingest` by the workers. */
  intake: 'intake',
  /** Accepted changes (webhook, poll, backfill), one job each, waiting for enrichment. */
  ingest: 'ingest',
  /** Normalized CloudEvents waiting for delivery to the subscriber. */
  deliver: 'deliver',
  /** Events whose delivery schedule is spent, kept for inspection and replay. */
  deadLetter: 'dead-letter',
  /** Writes into ServiceNow (actions and direct writes), one job each. */
  write: 'write',
  /** Writes given up, kept for inspection and replay. */
  writeDeadLetter: 'write-dead-letter',
  /** Poller ticks (one job scheduler per instance). */
  poll: 'poll',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** The queues every partition has (see PartitionLayout); the others (the poller's) live under the base prefix. */
export const PARTITION_QUEUES: readonly QueueName[] = [QUEUE_NAMES.intake, QUEUE_NAMES.ingest, QUEUE_NAMES.deliver, QUEUE_NAMES.deadLetter, QUEUE_NAMES.write, QUEUE_NAMES.writeDeadLetter];

/** The queues of the control data, under the base prefix. */
export const CONTROL_QUEUES: readonly QueueName[] = [QUEUE_NAMES.poll];
