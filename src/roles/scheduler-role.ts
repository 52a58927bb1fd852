import { ChangeEnqueuer } from '../ingest/change-enqueuer';
import type { Shutdown } from '../lib/shutdown';
import type { SnowgateParts } from './snowgate-parts';
import { startPoller } from '../poller/start-poller';
import { changeRoutes, closePartitionQueues, openPartitionQueues } from '../queues/partition-queues';

/**
 * The scheduler role: the poller (one BullMQ job scheduler per polling instance, so exactly one poll
 * per tick runs across all processes; its state is control data, under the base prefix). Its changes go
 * through the same deduplicating enqueue as webhooks, to their records' partitions, on a connection that
 * waits for Redis instead of failing the tick.
 */
export async function startSchedulerRole(parts: SnowgateParts, shutdown: Shutdown): Promise<void> {
  const { settings, logger, registry, commands, clients, metrics, layout, migration } = parts;
  const partitions = openPartitionQueues(layout, commands, settings.redisWaitReplicas);
  shutdown.add('poller partition queues', () => closePartitionQueues(partitions));
  const poller = await startPoller({
    registry,
    connection: commands,
    prefix: layout.base,
    enqueuer: new ChangeEnqueuer(changeRoutes(layout, partitions, migration && { on: commands, migration }), { timeoutMs: 30_000, observer: parts.eventLog?.changes }),
    clientFor: (instance) => clients.for(instance),
    logger,
    onPage: (instanceId, page) => metrics.pollerRecords(instanceId, page.resource, page.rows),
  });
  shutdown.add('poller', () => poller.close());
}
