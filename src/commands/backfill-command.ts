import { resolveConfig, type ResolveOptions } from '../config/resolve-config';
import { ChangeEnqueuer } from '../ingest/change-enqueuer';
import { createEventLog } from '../event-log/event-log';
import { InstanceRegistry } from '../instances/instance-registry';
import { createLogger } from '../lib/logger';
import { closeRedis } from '../lib/redis-connections';
import { runBackfill, type BackfillSummary } from '../poller/backfill';
import { renderProgress } from '../poller/progress-bar';
import { PartitionLayout } from '../queues/partition-layout';
import { PartitionMigration } from '../queues/partition-migration';
import { changeRoutes, closePartitionQueues, openPartitionQueues } from '../queues/partition-queues';
import { recordedPartitions } from '../queues/partition-record';
import { ServiceNowClient } from '../servicenow/servicenow-client';
import { TokenManager } from '../servicenow/token-manager';
import { connectCommandRedis, findInstance } from './find-instance';

/** What `snowgate backfill` was asked (parsed by the program). */
export interface BackfillArgs {
  instanceId: string;
  since: Date;
  pageSize?: number;
}

function printSummary(summary: BackfillSummary): void {
  const lines = summary.resources.map((r) => `  ${r.resource.padEnd(20)} ${r.table.padEnd(26)} rows ${r.rows}, queued ${r.queued}, already queued ${r.duplicates}${r.resumed ? ' (resumed)' : ''}`);
  const queued = summary.resources.reduce((n, r) => n + r.queued, 0);
  process.stdout.write(`backfill of ${summary.instanceId} complete: ${queued} changes queued\n${lines.join('\n')}\n`);
}

/**
 * `snowgate backfill`: polls an instance's history since a GMT instant into the ingest queue (the
 * running gateway's workers turn it into events), with a progress bar on stderr and a cursor in Redis
 * so that an interrupted run resumes where it stopped.
 */
export async function runBackfillCommand(args: BackfillArgs, options: ResolveOptions = {}): Promise<void> {
  const resolved = resolveConfig(options);
  const { settings } = resolved;
  const logger = createLogger(settings.logLevel === 'info' ? 'warn' : settings.logLevel);
  const redis = await connectCommandRedis(resolved);
  const record = await recordedPartitions(redis, settings.queuePrefix);
  const layout = new PartitionLayout(settings.queuePrefix, record?.count ?? settings.partitions);
  const migration = PartitionMigration.of(redis, layout, record);
  const partitions = openPartitionQueues(layout, redis, settings.redisWaitReplicas);
  // the backfilled changes enter the event log like any other (source backfill); sent before the connection closes
  const { eventLog } = settings;
  const log = eventLog.maxPerInstance > 0 ? createEventLog({ recordTo: redis, readFrom: redis, layout, ...eventLog }) : undefined;
  try {
    const { instance } = await findInstance(resolved, args.instanceId, redis);
    const tokens = new TokenManager({ redis, encryptionKey: settings.encryptionKey, instances: new InstanceRegistry([instance]), keyPrefix: `${settings.queuePrefix}:tokens`, logger });
    let current = '';
    const summary = await runBackfill({
      instance,
      client: new ServiceNowClient(instance, tokens),
      enqueuer: new ChangeEnqueuer(changeRoutes(layout, partitions, migration && { on: redis, migration }), { timeoutMs: 10_000, observer: log?.changes }),
      redis,
      prefix: settings.queuePrefix,
      since: args.since,
      pageSize: args.pageSize,
      onProgress: (p) => {
        if (current && current !== p.resource) process.stderr.write('\n');
        current = p.resource;
        process.stderr.write(renderProgress(p.done, p.total, p.resource));
      },
    });
    if (current) process.stderr.write('\n');
    printSummary(summary);
  } finally {
    log?.recorder.flush();
    await closePartitionQueues(partitions).catch(() => undefined);
    await closeRedis(redis);
  }
}
