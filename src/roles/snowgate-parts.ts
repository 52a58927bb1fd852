import type { Queue } from 'bullmq';
import type { EnvSettings } from '../config/env';
import type { EventLog } from '../event-log/event-log';
import type { SubscriberBreaker } from '../events/subscriber-breaker';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { InstanceStore } from '../instances/instance-store';
import type { Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import type { Metrics } from '../ops/metrics';
import type { PartitionLayout } from '../queues/partition-layout';
import type { PartitionMigration } from '../queues/partition-migration';
import type { PartitionQueues } from '../queues/partition-queues';
import type { PartitionedDeliveries } from '../queues/partitioned-deliveries';
import type { ClientPool } from '../servicenow/client-pool';
import type { TokenManager } from '../servicenow/token-manager';
import type { WriteLedger } from '../writes/write-ledger';

/** What the composition root (main.ts) builds once per process and hands to every role it plays. */
export interface SnowgateParts {
  settings: EnvSettings;
  logger: Logger;
  registry: InstanceRegistry;
  store: InstanceStore;
  /** Request path: fails fast while Redis is down. */
  producer: RedisClient;
  /** Background work (tokens, state, workers): waits and reconnects. */
  commands: RedisClient;
  /** Where the deployment's keys live: the base prefix (control data) and its partitions. */
  layout: PartitionLayout;
  /** A change of the partition count in progress: the old partitions still drained (see README › Changing the partition count). */
  migration?: PartitionMigration;
  /** Each partition's intake, ingest and write queues and change claims (request path, on the producer connection). */
  partitions: PartitionQueues[];
  /** Where a write stands; replay of dead writes (request path). */
  writeLedger: WriteLedger;
  tokens: TokenManager;
  clients: ClientPool;
  /** Every partition's delivery and dead-letter queues, and replay across them. */
  deliveries: PartitionedDeliveries;
  /** Each subscriber's circuit breaker, shared by every process through Redis. */
  breaker: SubscriberBreaker;
  metrics: Metrics;
  /** One handle per queue of every partition, for the dashboard, the ops API and the queue-depth metric. */
  opsQueues: Queue[];
  /** Every event's and write's life, as the stages report it; absent when SNOWGATE_EVENT_LOG_MAX=0. */
  eventLog?: EventLog;
}
