import type { Router } from 'express';
import type { Queue } from 'bullmq';
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
import { closeOpsQueues, openOpsQueues } from './ops/ops-queues';
import { DeliveryProducer } from './queues/delivery-producer';
import { releaseDeliveries } from './queues/held-deliveries';
import { ChangeClaims } from './queues/change-claims';
import { createIngestQueue, type IngestQueue } from './queues/ingest-queue';
import { createIntakeQueue, type IntakeQueue } from './queues/intake-queue';
import { startApiRole, startOpsListener } from './roles/api-role';
import { startSchedulerRole } from './roles/scheduler-role';
import { startWorkerRole } from './roles/worker-role';
import { ClientPool } from './servicenow/client-pool';
import { TokenManager } from './servicenow/token-manager';
import { createWriteQueue, type WriteQueue } from './queues/write-queue';
import { openWriteDeadLetters } from './workers/write-worker';
import { WriteLedger } from './writes/write-ledger';

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
export interface SnowgateParts {
  settings: EnvSettings;
  logger: Logger;
  registry: InstanceRegistry;
  store: InstanceStore;
  /** Request path: fails fast while Redis is down. */
  producer: RedisClient;
  /** Background work (tokens, state, workers): waits and reconnects. */
  commands: RedisClient;
  /** Where accepted changes go first (request path, on the producer connection). */
  intakeQueue: IntakeQueue;
  /** Change deduplication (request path, on the producer connection). */
  claims: ChangeClaims;
  ingestQueue: IngestQueue;
  /** Writes into ServiceNow (request path, on the producer connection). */
  writeQueue: WriteQueue;
  /** Where a write stands; replay of dead writes (request path). */
  writeLedger: WriteLedger;
  tokens: TokenManager;
  clients: ClientPool;
  deliveries: DeliveryProducer;
  /** Each subscriber's circuit breaker, shared by every process through Redis. */
  breaker: SubscriberBreaker;
  metrics: Metrics;
  /** One handle per queue, for the dashboard, the ops API and the queue-depth metric. */
  opsQueues: Queue[];
  /** Every event's and write's life, as the stages report it; absent when SNOWGATE_EVENT_LOG_MAX=0. */
  eventLog?: EventLog;
}

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
  const producer = connectRedis(target, 'producer');
  producer.on('error', (err) => logger.debug('redis producer connection error', { err: err.message }));
  shutdown.add('redis producer', () => closeRedis(producer));
  const commands = connectRedis(target, 'worker');
  commands.on('error', (err) => logger.debug('redis command connection error', { err: err.message }));
  shutdown.add('redis commands', () => closeRedis(commands));

  const registry = new InstanceRegistry(options.instances);
  for (const instance of options.instances) {
    for (const w of instance.warnings) logger.warn('instance configuration warning', { instanceId: instance.id, path: w.path, warning: w.message });
  }
  const store = new InstanceStore({ redis: producer, target, prefix: settings.queuePrefix, encryptionKey: settings.encryptionKey, configInstances: options.instances, logger });
  const sync = await store.startSync(registry);
  shutdown.add('instance sync', () => sync.close());

  const intakeQueue = createIntakeQueue(producer, settings.queuePrefix);
  intakeQueue.on('error', (err) => logger.debug('intake queue error', { err: err.message }));
  shutdown.add('intake queue', () => intakeQueue.close());
  const claims = new ChangeClaims(producer, settings.queuePrefix);
  const ingestQueue = createIngestQueue(producer, settings.queuePrefix);
  ingestQueue.on('error', (err) => logger.debug('ingest queue error', { err: err.message }));
  shutdown.add('ingest queue', () => ingestQueue.close());
  const writeQueue = createWriteQueue(producer, settings.queuePrefix);
  shutdown.add('write queue', () => writeQueue.close());
  const writeDeadLetters = openWriteDeadLetters(producer, settings.queuePrefix);
  shutdown.add('write dead letters', () => writeDeadLetters.close());
  const writeLedger = new WriteLedger(writeQueue, writeDeadLetters, producer, settings.queuePrefix);
  const metrics = new Metrics();
  const tokens = new TokenManager({ redis: commands, encryptionKey: settings.encryptionKey, instances: registry, keyPrefix: `${settings.queuePrefix}:tokens`, logger });
  const clients = new ClientPool(tokens, (instance) => (api, status, ms) => metrics.apiCall(instance.id, api, status, ms / 1000));
  const deliveries = new DeliveryProducer({ connection: commands, prefix: settings.queuePrefix });
  const breaker = new SubscriberBreaker(commands, settings.queuePrefix, settings.breaker);
  shutdown.add('delivery producer', () => deliveries.close());
  const opsQueues = openOpsQueues(producer, settings.queuePrefix);
  shutdown.add('ops queues', () => closeOpsQueues(opsQueues));
  // Redis outages are reported by readiness and the 503s; the queues' own connection errors only go to debug
  for (const queue of [...opsQueues, deliveries.queue, deliveries.deadLetters.queue, ingestQueue, writeQueue, writeDeadLetters.queue]) {
    queue.on('error', (err: Error) => logger.debug('queue connection error', { queue: queue.name, err: err.message }));
  }
  metrics.setQueues(() => opsQueues);
  metrics.setRefreshTokenExpirySource(async () => {
    const entries = await Promise.all(registry.list().map(async (i) => ({ instanceId: i.id, at: await tokens.refreshTokenExpiresAt(i.id).catch(() => undefined) })));
    return entries.flatMap(({ instanceId, at }) => (at ? [{ instanceId, seconds: (at.getTime() - Date.now()) / 1000 }] : []));
  });
  metrics.setBreakerSource(() => breaker.states(registry.list().filter((i) => i.events.callbackUrl).map((i) => i.id)));
  watchInstanceChanges(registry, deliveries, breaker, tokens, logger);
  const eventLog = openEventLog(settings, target, producer, metrics, logger, shutdown);

  const parts: SnowgateParts = { settings, logger, registry, store, producer, commands, intakeQueue, claims, ingestQueue, writeQueue, writeLedger, tokens, clients, deliveries, breaker, metrics, opsQueues, eventLog };
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
function openEventLog(settings: EnvSettings, target: { url: string; cluster: boolean }, readFrom: RedisClient, metrics: Metrics, logger: Logger, shutdown: Shutdown): EventLog | undefined {
  if (settings.eventLog.maxPerInstance === 0) return undefined;
  const recordTo = connectRedis(target, 'producer', { autoPipelining: true });
  recordTo.on('error', (err) => logger.debug('redis event-log connection error', { err: err.message }));
  const log = createEventLog({
    recordTo,
    readFrom,
    prefix: settings.queuePrefix,
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
function watchInstanceChanges(registry: InstanceRegistry, deliveries: DeliveryProducer, breaker: SubscriberBreaker, tokens: TokenManager, logger: Logger): void {
  registry.on('change', (id: string) => {
    const task = registry.get(id)
      ? deliveries.enableSubscriber(id)
      : Promise.all([tokens.reset(id), breaker.reset(id).then((held) => releaseDeliveries(deliveries.queue, held))]);
    Promise.resolve(task).catch((err: Error) => logger.warn('could not apply an instance change', { instanceId: id, err: err.message }));
  });
}
