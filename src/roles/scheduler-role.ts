import { ChangeEnqueuer } from '../ingest/change-enqueuer';
import type { Shutdown } from '../lib/shutdown';
import type { SnowgateParts } from '../main';
import { startPoller } from '../poller/start-poller';
import { ChangeClaims } from '../queues/change-claims';
import { createIngestQueue } from '../queues/ingest-queue';
import { createIntakeQueue } from '../queues/intake-queue';

/**
 * The scheduler role: the poller (one BullMQ job scheduler per polling instance, so exactly one poll
 * per tick runs across all processes). Its changes go through the same deduplicating enqueue as
 * webhooks, on a connection that waits for Redis instead of failing the tick.
 */
export async function startSchedulerRole(parts: SnowgateParts, shutdown: Shutdown): Promise<void> {
  const { settings, logger, registry, commands, clients, metrics } = parts;
  const intake = createIntakeQueue(commands, settings.queuePrefix);
  shutdown.add('poller intake queue', () => intake.close());
  const ingest = createIngestQueue(commands, settings.queuePrefix);
  shutdown.add('poller ingest queue', () => ingest.close());
  const poller = await startPoller({
    registry,
    connection: commands,
    prefix: settings.queuePrefix,
    enqueuer: new ChangeEnqueuer({ intake, ingest, claims: new ChangeClaims(commands, settings.queuePrefix) }, { timeoutMs: 30_000, observer: parts.eventLog?.changes }),
    clientFor: (instance) => clients.for(instance),
    logger,
    onPage: (instanceId, page) => metrics.pollerRecords(instanceId, page.resource, page.rows),
  });
  shutdown.add('poller', () => poller.close());
}
