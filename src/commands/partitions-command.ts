import { resolveConfig, type ResolveOptions } from '../config/resolve-config';
import { closeRedis, type RedisClient } from '../lib/redis-connections';
import { openOpsQueues, closeOpsQueues } from '../ops/ops-queues';
import { changePartitionCount, finishPartitionChange } from '../queues/partition-change';
import { PartitionLayout } from '../queues/partition-layout';
import { baseClientList, producersIn } from '../queues/partition-migration';
import { partitionRecordKey, recordedPartitions } from '../queues/partition-record';
import { connectCommandRedis } from './find-instance';

/** What `snowgate partitions` was asked (parsed by the program). */
export interface PartitionsArgs {
  /** Start changing the count to this. */
  set?: number;
  /** End the change in progress. */
  finish?: boolean;
}

/** Job states shown per partition. */
const SHOWN = ['waiting', 'active', 'delayed', 'failed'] as const;

/** One line per partition: its prefix, its slot, and what its queues hold. */
async function describeLayout(redis: RedisClient, layout: PartitionLayout, label: string): Promise<string[]> {
  const queues = openOpsQueues(redis, layout, { partitionsOnly: true });
  try {
    return await Promise.all(
      layout.prefixes.map(async (prefix, p) => {
        const mine = queues.filter((q) => q.opts.prefix === prefix);
        const counts = await Promise.all(mine.map((q) => q.getJobCounts(...SHOWN)));
        const total = (state: (typeof SHOWN)[number], names: (n: string) => boolean) => counts.reduce((sum, c, i) => sum + (names(mine[i]!.name) ? c[state] ?? 0 : 0), 0);
        const work = SHOWN.map((state) => `${state} ${total(state, (n) => !n.includes('dead-letter'))}`).join(', ');
        const slot = await redis.call('CLUSTER', 'KEYSLOT', prefix).catch(() => undefined);
        return `${label} ${p}  ${prefix}${slot === undefined ? '' : `  slot ${slot}`}  ${work}, dead letters ${total('waiting', (n) => n.includes('dead-letter'))}`;
      }),
    );
  } finally {
    await closeOpsQueues(queues);
  }
}

/** The deployment's partitions, each one's load, the change in progress and the processes connected. */
async function describe(redis: RedisClient, base: string): Promise<string> {
  const record = (await recordedPartitions(redis, base)) ?? { count: 1 };
  const lines = [`partitions: ${record.count} (recorded at ${partitionRecordKey(base)})${record.previous ? `, changing from ${record.previous} since ${new Date(record.changedAt ?? 0).toISOString()}` : ''}`];
  lines.push(...(await describeLayout(redis, new PartitionLayout(base, record.count), 'partition')));
  if (record.previous) lines.push(...(await describeLayout(redis, new PartitionLayout(base, record.previous), 'old partition')));
  const running = new Map<string, number>();
  for (const p of producersIn(await baseClientList(redis, base)).filter((c) => c.base === undefined || c.base === base)) {
    const count = p.count === undefined ? 'a version from before partitions' : `SNOWGATE_PARTITIONS=${p.count}`;
    running.set(count, (running.get(count) ?? 0) + 1);
  }
  lines.push(`gateway processes connected: ${[...running].map(([count, n]) => `${n} with ${count}`).join(', ') || 'none'}`);
  return lines.join('\n') + '\n';
}

/**
 * `snowgate partitions`: shows the deployment's partitions (prefix, cluster slot, jobs, dead letters), a change
 * of the count in progress and the gateway processes connected; `--set N` starts changing the count, `--finish`
 * ends the change once the old partitions are drained (see README › Changing the partition count).
 */
export async function runPartitionsCommand(args: PartitionsArgs, options: ResolveOptions & { out?: (text: string) => void } = {}): Promise<void> {
  const { settings, ...resolved } = resolveConfig(options);
  const out = options.out ?? ((text: string) => void process.stdout.write(text));
  const redis = await connectCommandRedis({ settings, ...resolved });
  try {
    const base = settings.queuePrefix;
    if (args.set !== undefined) {
      const record = await changePartitionCount(redis, base, args.set);
      out(`the partition count is changing from ${record.previous} to ${record.count}: restart every process with SNOWGATE_PARTITIONS=${record.count} (workers first); ` +
        `the new partitions take every new change, and their changes are enriched once no process runs with ${record.previous} and the old partitions' queued changes are done; ` +
        `\`npx snowgate partitions --finish\` when the old partitions are empty (after 24 h)\n`);
    } else if (args.finish) {
      const record = await finishPartitionChange(redis, base);
      out(`the change is finished: this deployment runs ${record.count} partition${record.count === 1 ? '' : 's'}\n`);
    }
    out(await describe(redis, base));
  } finally {
    await closeRedis(redis);
  }
}
