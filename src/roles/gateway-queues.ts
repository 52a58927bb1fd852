import type { Queue } from 'bullmq';
import type { EnvSettings } from '../config/env';
import type { Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import type { Shutdown } from '../lib/shutdown';
import { closeOpsQueues, openOpsQueues } from '../ops/ops-queues';
import { DeliveryProducer } from '../queues/delivery-producer';
import type { PartitionLayout } from '../queues/partition-layout';
import type { PartitionMigration } from '../queues/partition-migration';
import { closePartitionQueues, openPartitionQueues, type PartitionQueues } from '../queues/partition-queues';
import { checkPartitions, type PartitionRecord } from '../queues/partition-record';
import { PartitionedDeliveries } from '../queues/partitioned-deliveries';
import { createWriteQueue } from '../queues/write-queue';
import { openWriteDeadLetters } from '../workers/write-worker';
import { WriteLedger } from '../writes/write-ledger';

/** The queues of every partition as one gateway process holds them. */
export interface GatewayQueues {
  /** Each partition's intake, ingest and write queues and change claims (request path). */
  partitions: PartitionQueues[];
  /** Where a write stands, in the partitions and, while the count changes, the old ones. */
  writeLedger: WriteLedger;
  /** Every partition's (and old partition's) delivery and dead-letter queues. */
  deliveries: PartitionedDeliveries;
  /** One handle per queue of every partition, old ones included, for the dashboard, the ops API and the metrics. */
  opsQueues: Queue[];
}

/**
 * Opens every partition's queues: those the request path writes to on the producer connection, the delivery
 * side on the background one — and, while the partition count changes, the old partitions', so that their
 * work is still seen, replayed and drained.
 */
export function openGatewayQueues(o: { settings: EnvSettings; layout: PartitionLayout; migration?: PartitionMigration; producer: RedisClient; commands: RedisClient; logger: Logger; shutdown: Shutdown }): GatewayQueues {
  const { layout, migration, producer, commands, shutdown } = o;
  const partitions = openPartitionQueues(layout, producer, o.settings.redisWaitReplicas);
  shutdown.add('partition queues', () => closePartitionQueues(partitions));
  const previous = migration?.previous.prefixes ?? [];
  const oldWrites = previous.map((prefix) => ({ prefix, queue: createWriteQueue(producer, prefix) }));
  const writes = [...partitions.map((p) => ({ prefix: p.prefix, queue: p.write })), ...oldWrites];
  const ledger = writes.map((w) => ({ ...w, deadLetters: openWriteDeadLetters(producer, w.prefix) }));
  shutdown.add('write dead letters', async () => void (await Promise.all([...ledger.map((w) => w.deadLetters), ...oldWrites.map((w) => w.queue)].map((q) => q.close()))));
  const producerOf = (prefix: string) => new DeliveryProducer({ connection: commands, prefix, controlPrefix: layout.base });
  const deliveries = new PartitionedDeliveries(layout.prefixes.map(producerOf), previous.map(producerOf));
  shutdown.add('delivery producers', () => deliveries.close());
  const opsQueues = [...openOpsQueues(producer, layout), ...(migration ? openOpsQueues(producer, migration.previous, { partitionsOnly: true }) : [])];
  shutdown.add('ops queues', () => closeOpsQueues(opsQueues));
  // Redis outages are reported by readiness and the 503s; the queues' own connection errors only go to debug
  const queues = [...opsQueues, ...deliveries.all.flatMap((d) => [d.queue, d.deadLetters.queue]), ...partitions.flatMap((p) => [p.intake, p.ingest]), ...ledger.flatMap((w) => [w.queue, w.deadLetters.queue])];
  for (const queue of queues) queue.on('error', (err: Error) => o.logger.debug('queue connection error', { queue: queue.name, err: err.message }));
  return { partitions, writeLedger: new WriteLedger(ledger, producer), deliveries, opsQueues };
}

/**
 * Refuses to start with another partition count than the deployment runs (see checkPartitions), and resolves
 * with the record. While Redis does not answer, start-up goes on (readiness reports the outage) and the check
 * is made once it does: a mismatch, or a change of the count in progress this process has not taken part in,
 * then stops the process before it could have accepted anything.
 */
export async function checkLayout(redis: RedisClient, layout: PartitionLayout, logger: Logger, shutdown: Shutdown): Promise<PartitionRecord | undefined> {
  const check = checkPartitions(redis, layout);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 5000)));
  const first = await Promise.race([check, late]).finally(() => clearTimeout(timer));
  if (first !== 'late') return first;
  logger.warn('Redis does not answer: the partition count is checked once it does');
  const stop = (message: string) => {
    logger.error(message);
    process.exitCode = 1;
    void shutdown.run('partition count');
  };
  check.then(
    (record) => record.previous && stop(`the partition count is changing from ${record.previous} to ${record.count}: restart this process to take part`),
    (err: Error) => stop(err.message),
  );
  return undefined;
}
