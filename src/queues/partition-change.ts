import { ConfigError } from '../lib/errors';
import type { RedisClient } from '../lib/redis-connections';
import { MAX_PARTITIONS, PartitionLayout } from './partition-layout';
import { baseClientList, PartitionMigration, producersIn } from './partition-migration';
import { partitionRecordKey, readPartitionRecord, recordedPartitions, type PartitionRecord } from './partition-record';

/**
 * Starts a change of the deployment's partition count (`snowgate partitions --set N`): records `to` as the
 * count and the current one as the previous, so that processes started with `to` take the new changes and
 * drain the old partitions (see PartitionMigration) while those still running with the old count go on.
 * Refused while an earlier change is not finished, or while a process of a version from before partitions is
 * connected (it could not see the change).
 */
export async function changePartitionCount(redis: RedisClient, base: string, to: number, now = Date.now()): Promise<PartitionRecord> {
  if (!Number.isInteger(to) || to < 1 || to > MAX_PARTITIONS) throw new ConfigError(`the partition count must be 1 to ${MAX_PARTITIONS}, got ${to}`);
  const record = (await recordedPartitions(redis, base)) ?? { count: 1 };
  if (record.previous) throw new ConfigError(`the change from ${record.previous} to ${record.count} partitions is not finished: see \`npx snowgate partitions\`, then \`npx snowgate partitions --finish\``);
  if (record.count === to) throw new ConfigError(`this deployment runs ${to} partition${to === 1 ? '' : 's'} already`);
  const unnamed = producersIn(await baseClientList(redis, base)).filter((p) => p.count === undefined).length;
  if (unnamed > 0) throw new ConfigError(`${unnamed} gateway process${unnamed === 1 ? ' runs a version' : 'es run a version'} from before partitions: upgrade every process (keeping SNOWGATE_PARTITIONS=${record.count}) first`);
  await redis.hset(partitionRecordKey(base), { count: String(to), previous: String(record.count), changedAt: String(now) });
  return { count: to, previous: record.count, changedAt: now };
}

/**
 * Ends a change of the partition count (`snowgate partitions --finish`): forgets the old partitions, once no
 * process of the old count runs, they hold nothing (no work, failed job or dead letter: those would no longer
 * be seen), and the claims made under the old count have expired.
 */
export async function finishPartitionChange(redis: RedisClient, base: string, now = Date.now()): Promise<PartitionRecord> {
  const record = await readPartitionRecord(redis, base);
  if (!record?.previous) throw new ConfigError('no change of the partition count is in progress');
  const migration = new PartitionMigration(redis, new PartitionLayout(base, record.count), { ...record, previous: record.previous });
  try {
    const others = await migration.otherProcesses();
    if (others > 0) throw new ConfigError(`${others} gateway process${others === 1 ? '' : 'es'} still run${others === 1 ? 's' : ''} with SNOWGATE_PARTITIONS=${record.previous}: restart ${others === 1 ? 'it' : 'them'} with ${record.count}`);
    const left = Object.entries(await migration.leftovers());
    if (left.length > 0) throw new ConfigError(`the old partitions still hold ${left.map(([name, n]) => `${n} ${name}`).join(', ')} (jobs to do, failed jobs or dead letters): let them drain, retry or replay them first`);
    if (migration.carriesOver(now)) throw new ConfigError(`changes accepted under ${record.previous} partitions are recognised until ${new Date(migration.changedAt + 24 * 3600_000).toISOString()}: finish after that`);
  } finally {
    await migration.close();
  }
  await redis.hdel(partitionRecordKey(base), 'previous', 'changedAt');
  return { count: record.count };
}
