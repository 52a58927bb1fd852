import { readEnv } from '../config/env';
import { loadInstancesFile } from '../config/load-instances-file';
import { ChangeEnqueuer } from '../ingest/change-enqueuer';
import type { Instance } from '../instances/instance';
import { InstanceRegistry } from '../instances/instance-registry';
import { InstanceStore } from '../instances/instance-store';
import { AppError, ConfigError } from '../lib/errors';
import { createLogger } from '../lib/logger';
import { closeRedis, connectRedis, type RedisClient } from '../lib/redis-connections';
import { parseDate } from '../poller/date-format';
import { runBackfill, type BackfillSummary } from '../poller/backfill';
import { renderProgress } from '../poller/progress-bar';
import { ChangeClaims } from '../queues/change-claims';
import { createIngestQueue } from '../queues/ingest-queue';
import { createIntakeQueue } from '../queues/intake-queue';
import { ServiceNowClient } from '../servicenow/servicenow-client';
import { TokenManager } from '../servicenow/token-manager';

const USAGE = 'usage: snowgate backfill --instance ID --since "yyyy-MM-dd HH:mm:ss" [--page-size N]   (since is GMT)';

/** The parsed arguments of `snowgate backfill`. */
export interface BackfillArgs {
  instanceId: string;
  since: Date;
  pageSize?: number;
}

/** Parses `--instance ID --since "yyyy-MM-dd HH:mm:ss" [--page-size N]` (also `--x=value`); throws ConfigError. */
export function parseBackfillArgs(argv: string[]): BackfillArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new ConfigError(`unexpected argument "${argv[i]}"\n${USAGE}`);
    values.set(m[1], m[2] ?? argv[++i] ?? '');
  }
  const instanceId = values.get('instance');
  const sinceText = values.get('since');
  if (!instanceId || !sinceText) throw new ConfigError(`--instance and --since are required\n${USAGE}`);
  const since = parseDate(sinceText) ?? (/\d{4}-\d\d-\d\dT/.test(sinceText) ? new Date(sinceText) : undefined);
  if (!since || Number.isNaN(since.getTime())) throw new ConfigError(`--since must look like "2026-01-31 00:00:00" (GMT), got "${sinceText}"`);
  const pageSize = values.has('page-size') ? Number(values.get('page-size')) : undefined;
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000)) throw new ConfigError('--page-size must be an integer from 1 to 10000');
  return { instanceId, since, pageSize };
}

async function findInstance(id: string, redis: RedisClient, settings: ReturnType<typeof readEnv>): Promise<Instance> {
  const configInstances = settings.configPath ? loadInstancesFile(settings.configPath) : [];
  const store = new InstanceStore({
    redis,
    target: { url: settings.redisUrl, cluster: settings.redisCluster },
    prefix: settings.queuePrefix,
    encryptionKey: settings.encryptionKey,
    configInstances,
  });
  try {
    return (await store.get(id)).instance;
  } catch (err) {
    if (err instanceof AppError && err.httpStatus === 404) throw new ConfigError(`unknown instance "${id}" (not in SNOWGATE_CONFIG nor in the instance store)`);
    throw err;
  }
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
export async function runBackfillCommand(argv: string[]): Promise<void> {
  const args = parseBackfillArgs(argv);
  const settings = readEnv();
  const logger = createLogger(settings.logLevel === 'info' ? 'warn' : settings.logLevel);
  const redis = connectRedis({ url: settings.redisUrl, cluster: settings.redisCluster }, 'worker');
  redis.on('error', (err) => logger.debug('redis connection error', { err: err.message }));
  const intake = createIntakeQueue(redis, settings.queuePrefix);
  const ingest = createIngestQueue(redis, settings.queuePrefix);
  try {
    const instance = await findInstance(args.instanceId, redis, settings);
    const tokens = new TokenManager({ redis, encryptionKey: settings.encryptionKey, instances: new InstanceRegistry([instance]), keyPrefix: `${settings.queuePrefix}:tokens`, logger });
    let current = '';
    const summary = await runBackfill({
      instance,
      client: new ServiceNowClient(instance, tokens),
      enqueuer: new ChangeEnqueuer({ intake, ingest, claims: new ChangeClaims(redis, settings.queuePrefix) }, { timeoutMs: 10_000 }),
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
    await intake.close().catch(() => undefined);
    await ingest.close().catch(() => undefined);
    await closeRedis(redis);
  }
}
