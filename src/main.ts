import type { Router } from 'express';
import type { EnvSettings } from './config/env';
import { SubscriberBreaker } from './events/subscriber-breaker';
import type { Instance } from './instances/instance';
import { InstanceRegistry } from './instances/instance-registry';
import { InstanceStore } from './instances/instance-store';
import type { ListeningServer } from './lib/http-server';
import { createLogger, type Logger } from './lib/logger';
import { closeRedis, connectRedis, type RedisClient } from './lib/redis-connections';
import { Shutdown } from './lib/shutdown';
import { Metrics } from './ops/metrics';
import { createEventLog, type EventLog } from './event-log/event-log';
import { releaseDeliveries } from './queues/held-deliveries';
import { PartitionLayout } from './queues/partition-layout';
import { PartitionMigration, producerLabel } from './queues/partition-migration';
import type { PartitionedDeliveries } from './queues/partitioned-deliveries';
import { startApiRole, startOpsListener } from './roles/api-role';
import { checkLayout, openGatewayQueues } from './roles/gateway-queues';
import { startSchedulerRole } from './roles/scheduler-role';
import { startWorkerRole } from './roles/worker-role';
import { ClientPool } from './servicenow/client-pool';
import { TokenManager } from './servicenow/token-manager';
import type { SnowgateParts } from './roles/snowgate-parts';

export type { SnowgateParts } from './roles/snowgate-parts';

export interface SnowgateOptions {
  settings: EnvSettings;
  /** Instances of the config file (read-only); those created through the admin API come from Redis. */
  instances: Instance[];
  logger?: Logger;
  /** Extra routers to mount (the sandbox's), given the running parts. */
  routers?: (parts: SnowgateParts) => Router[];
  /**
   * The shutdown to register on, when the caller started things before the gateway (a private Redis, the
   * sandbox's simulator): closing in reverse order then stops the gateway's workers before what they use.
   */
  shutdown?: Shutdown;
}

/** What the running gateway is made of, for the roles, the CLI, the sandbox and tests. */
export interface RunningSnowgate extends SnowgateParts {
  http?: ListeningServer;
  shutdown: Shutdown;
  close(): Promise<void>;
}

/**
 * The composition root: settings → logger → Redis → instances (config file + Redis store, kept in
 * sync across processes) → the roles this process plays (api, worker, scheduler) → one ordered shutdown.
 */
export async function startSnowgate(options: SnowgateOptions): Promise<RunningSnowgate> {
  const { settings } = options;
  const logger = options.logger ?? createLogger(settings.logLevel);
  const shutdown = options.shutdown ?? new Shutdown(logger);
  const target = { url: settings.redisUrl, cluster: settings.redisCluster };
  const layout = new PartitionLayout(settings.queuePrefix, settings.partitions);
  const producer = connectRedis(target, 'producer', { label: producerLabel(layout) });
  producer.on('error', (err) => logger.debug('redis producer connection error', { err: err.message }));
  shutdown.add('redis producer', () => closeRedis(producer));
  const commands = connectRedis(target, 'worker');
  commands.on('error', (err) => logger.debug('redis command connection error', { err: err.message }));
  shutdown.add('redis commands', () => closeRedis(commands));

  const record = await checkLayout(commands, layout, logger, shutdown).catch(async (err: unknown) => {
    await shutdown.run('start refused');
    throw err;
  });
  const migration = PartitionMigration.of(commands, layout, record);
  if (migration) shutdown.add('partition migration', () => migration.close());

  const registry = new InstanceRegistry(options.instances);
  for (const instance of options.instances) {
    for (const w of instance.warnings) logger.warn('instance configuration warning', { instanceId: instance.id, path: w.path, warning: w.message });
  }
  const store = new InstanceStore({ redis: producer, target, prefix: settings.queuePrefix, encryptionKey: settings.encryptionKey, configInstances: options.instances, logger });
  const sync = await store.startSync(registry);
  shutdown.add('instance sync', () => sync.close());

  const { partitions, writeLedger, deliveries, opsQueues } = openGatewayQueues({ settings, layout, migration, producer, commands, logger, shutdown });
  const metrics = new Metrics();
  const tokens = new TokenManager({ redis: commands, encryptionKey: settings.encryptionKey, instances: registry, keyPrefix: `${settings.queuePrefix}:tokens`, logger });
  const clients = new ClientPool(tokens, (instance) => (api, status, ms) => metrics.apiCall(instance.id, api, status, ms / 1000));
  const breaker = new SubscriberBreaker(commands, settings.queuePrefix, settings.breaker);
  metrics.setQueues(() => opsQueues);
  metrics.setRefreshTokenExpirySource(async () => {
    const entries = await Promise.all(registry.list().map(async (i) => ({ instanceId: i.id, at: await tokens.refreshTokenExpiresAt(i.id).catch(() => undefined) })));
    return entries.flatMap(({ instanceId, at }) => (at ? [{ instanceId, seconds: (at.getTime() - Date.now()) / 1000 }] : []));
  });
  metrics.setBreakerSource(() => breaker.states(registry.list().filter((i) => i.events.callbackUrl).map((i) => i.id)));
  watchInstanceChanges(registry, deliveries, breaker, tokens, logger);
  const eventLog = openEventLog(settings, layout, target, producer, metrics, logger, shutdown);

  const parts: SnowgateParts = { settings, logger, registry, store, producer, commands, layout, migration, partitions, writeLedger, tokens, clients, deliveries, breaker, metrics, opsQueues, eventLog };
  const { role } = settings;
  if (role === 'all' || role === 'worker') startWorkerRole(parts, shutdown);
  if (role === 'all' || role === 'scheduler') await startSchedulerRole(parts, shutdown);
  const http = role === 'all' || role === 'api' ? await startApiRole(parts, shutdown, options.routers?.(parts) ?? []) : await startOpsListener(parts, shutdown);
  return { ...parts, http, shutdown, close: () => shutdown.run('close') };
}

/**
 * The event log, recording on a connection of its own: auto-pipelined (a stage costs no round trip) and failing
 * fast like the request path, so that while Redis is away stages are counted and dropped, never queued up in memory.
 */
function openEventLog(settings: EnvSettings, layout: PartitionLayout, target: { url: string; cluster: boolean }, readFrom: RedisClient, metrics: Metrics, logger: Logger, shutdown: Shutdown): EventLog | undefined {
  if (settings.eventLog.maxPerInstance === 0) return undefined;
  const recordTo = connectRedis(target, 'producer', { autoPipelining: true, label: 'event-log' });
  recordTo.on('error', (err) => logger.debug('redis event-log connection error', { err: err.message }));
  const log = createEventLog({
    recordTo,
    readFrom,
    layout,
    days: settings.eventLog.days,
    maxPerInstance: settings.eventLog.maxPerInstance,
    onError: (err) => {
      metrics.eventLogError();
      logger.debug('event log: a stage was not recorded', { err: err.message });
    },
  });
  // closed after the roles (closers run in reverse): their last stages are sent, then the connection quits
  shutdown.add('redis event-log connection', () => {
    log.recorder.flush();
    return closeRedis(recordTo);
  });
  return log;
}

/**
 * Keeps per-instance state in step with the registry: an updated instance gets its subscriber back after a
 * 410; a deleted one loses its tokens and its breaker (its held deliveries go on, to be dead-lettered).
 */
function watchInstanceChanges(registry: InstanceRegistry, deliveries: PartitionedDeliveries, breaker: SubscriberBreaker, tokens: TokenManager, logger: Logger): void {
  registry.on('change', (id: string) => {
    const task = registry.get(id)
      ? deliveries.enableSubscriber(id)
      : Promise.all([tokens.reset(id), breaker.reset(id).then((held) => releaseDeliveries(deliveries.queue, held))]);
    Promise.resolve(task).catch((err: Error) => logger.warn('could not apply an instance change', { instanceId: id, err: err.message }));
  });
}
