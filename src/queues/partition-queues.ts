import type { RedisClient } from '../lib/redis-connections';
import { ChangeClaims } from './change-claims';
import { createIngestQueue, type IngestQueue } from './ingest-queue';
import { createIntakeQueue, type IntakeQueue } from './intake-queue';
import type { ChangeJob } from './change-job';
import type { PartitionLayout } from './partition-layout';
import type { PartitionMigration } from './partition-migration';
import { replicaAck, type ReplicaAck } from './replica-ack';
import { createWriteQueue, type WriteQueue } from './write-queue';

/** The handles one partition's accept paths need: where its changes and writes are queued, and their durability. */
export interface PartitionQueues {
  index: number;
  prefix: string;
  intake: IntakeQueue;
  ingest: IngestQueue;
  claims: ChangeClaims;
  write: WriteQueue;
  /** WAIT for the partition's replicas (a no-op without SNOWGATE_REDIS_WAIT_REPLICAS). */
  ack: ReplicaAck;
}

/**
 * Opens every partition's accept-path queues on one connection (the request path's, which fails fast while
 * Redis is down, or a background one that waits), so that a change or write is sent to the partition of its
 * record or idempotency key.
 */
export function openPartitionQueues(layout: PartitionLayout, connection: RedisClient, waitReplicas = 0): PartitionQueues[] {
  return layout.prefixes.map((prefix, index) => ({
    index,
    prefix,
    intake: createIntakeQueue(connection, prefix),
    ingest: createIngestQueue(connection, prefix),
    claims: new ChangeClaims(connection, prefix),
    write: createWriteQueue(connection, prefix),
    ack: replicaAck(connection, prefix, waitReplicas),
  }));
}

/** Closes what {@link openPartitionQueues} opened (the connection stays open). */
export async function closePartitionQueues(partitions: readonly PartitionQueues[]): Promise<void> {
  await Promise.all(partitions.flatMap((p) => [p.intake.close(), p.ingest.close(), p.write.close()]));
}

/**
 * Where a change goes: the partition of its record. While the partition count changes, a change accepted under
 * the old count is found by its claim there (read on `migration.on`), so a report of it again stays a duplicate.
 */
export function changeRoutes(layout: PartitionLayout, partitions: readonly PartitionQueues[], migration?: { on: RedisClient; migration: PartitionMigration }) {
  return {
    partitions,
    partitionOf: (change: Pick<ChangeJob, 'instanceId' | 'table' | 'sysId'>) => layout.ofRecord(change.instanceId, change.table, change.sysId),
    ...(migration ? { previousOwners: (changes: readonly ChangeJob[]) => migration.migration.claimOwners(migration.on, changes) } : {}),
  };
}

/** Where a write goes: the partition of its idempotency key (and, while the count changes, its first write under the old count). */
export function writeRoutes(layout: PartitionLayout, partitions: readonly PartitionQueues[], migration?: { on: RedisClient; migration: PartitionMigration }) {
  return {
    partitions,
    partitionOf: (deduplicationId: string) => layout.ofKey(deduplicationId),
    ...(migration ? { previousOwner: (deduplicationId: string) => migration.migration.writeOwner(migration.on, deduplicationId) } : {}),
  };
}
