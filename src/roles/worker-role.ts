import { ChangeEnricher } from '../enrichment/change-enricher';
import { enrichmentApiFor } from '../enrichment/client-enrichment-api';
import { StateCache } from '../enrichment/state-cache';
import { deliveryMetricsHooks } from '../ops/metrics-hooks';
import { ChangeClaims } from '../queues/change-claims';
import { createIngestQueue } from '../queues/ingest-queue';
import { RecordLanes } from '../queues/record-lanes';
import { createDeliveryWorker } from '../workers/delivery-worker';
import { createIngestWorker } from '../workers/ingest-worker';
import { createIntakeWorker } from '../workers/intake-worker';
import { createWriteWorker } from '../workers/write-worker';
import { WriteSlots } from '../queues/write-slots';
import { EchoRecords } from '../writes/echo-records';
import { BreakerGate } from '../workers/breaker-gate';
import { FirstDelivery } from '../workers/first-delivery';
import { closeRedis, connectRedis, type RedisClient } from '../lib/redis-connections';
import { composeHooks } from '../lib/compose-hooks';
import type { DeliveryHooks } from '../events/delivery-record';
import type { WriteHooks } from '../writes/write-record';
import { RESPONSE_SAMPLE_BYTES } from '../event-log/event-log';
import type { Shutdown } from '../lib/shutdown';
import type { SnowgateParts } from './snowgate-parts';
import type { DeliveryProducer } from '../queues/delivery-producer';
import { MigrationDrain } from './migration-drain';

/** What every partition's workers share in one process. */
interface Shared {
  hotPath: RedisClient;
  echo: EchoRecords;
  gate: BreakerGate;
  firstDelivery: FirstDelivery;
  slots: WriteSlots;
  /** Metrics and the event log. */
  hooks: DeliveryHooks;
  writeHooks: WriteHooks;
  /** What the event log keeps of each subscriber's answer (nothing without the log). */
  captureBytes?: number;
  /** Jobs in flight per queue of one partition: the process's concurrency shared among its partitions. */
  concurrency: number;
}

/** Which partition's workers to start, and how. */
interface PartitionWork {
  /** For logs and shutdown: `3` or `old 0`. */
  label: string;
  prefix: string;
  producer: DeliveryProducer;
  /** While the partition count changes, a new partition: its enrichment waits for the old partitions (see MigrationDrain). */
  drain?: MigrationDrain;
}

/** The workers of one partition: its intake fan-out, enrichment, delivery and writes, on that partition's keys. */
function startPartitionWorkers(parts: SnowgateParts, shutdown: Shutdown, { label: p, prefix, producer, drain }: PartitionWork, shared: Shared): void {
  const { settings, logger, registry, commands, clients, metrics, layout } = parts;
  // not on the pipelined hot path: the claim script takes its key count first, and ioredis Cluster groups auto-pipelined
  // commands by their first argument, so it would be sent with another slot's commands (and refused with them)
  const claims = new ChangeClaims(commands, prefix);
  const ingest = createIngestQueue(commands, prefix);
  shutdown.add(`fan-out ingest queue ${p}`, () => ingest.close()); // closed after the intake worker
  const common = { connection: commands, prefix, logger };
  const lockDurationMs = settings.jobLockMs;
  const intakeWorker = createIntakeWorker({ ...common, lockDurationMs, claims, ingest, onDone: (job, outcome, seconds) => metrics.jobFinished('intake', job.name, outcome, seconds) });
  shutdown.add(`intake worker ${p}`, () => intakeWorker.close());
  const lanes = new RecordLanes(shared.hotPath, prefix, producer.queue, drain?.laneBefore);
  const ingestWorker = createIngestWorker({
    ...common,
    lockDurationMs,
    registry,
    enricher: new ChangeEnricher({ apiFor: (instance) => enrichmentApiFor(clients.for(instance)), stateCache: new StateCache(shared.hotPath, prefix) }),
    deliveries: producer,
    lanes,
    echo: shared.echo,
    onOwnWrite: (instanceId, suppressed) => metrics.writes.echo(instanceId, suppressed ? 'suppressed' : 'tagged'),
    firstDelivery: shared.firstDelivery,
    observer: parts.eventLog?.changes,
    concurrency: shared.concurrency,
    jobDeadlineMs: settings.jobDeadlineMs,
    autorun: !drain,
    onDone: (job, outcome, seconds) => metrics.jobFinished('ingest', job.name, outcome, seconds),
  });
  drain?.gate(ingestWorker);
  shutdown.add(`ingest worker ${p}`, () => ingestWorker.close());
  const deliveryWorker = createDeliveryWorker({
    ...common,
    controlPrefix: layout.base,
    getInstance: (id) => registry.get(id),
    lanes,
    breaker: shared.gate,
    hooks: shared.hooks,
    options: { lockDurationMs, concurrency: shared.concurrency, schedule: { delaysMs: settings.deliveryRetryDelaysMs }, captureBytes: shared.captureBytes },
  });
  shutdown.add(`delivery worker ${p}`, () => deliveryWorker.close());
  const writeWorker = createWriteWorker({
    ...common,
    lockDurationMs,
    getInstance: (id) => registry.get(id),
    writerFor: (instance) => clients.writerFor(instance),
    echo: shared.echo,
    slots: shared.slots,
    hooks: shared.writeHooks,
    concurrency: shared.concurrency,
    schedule: { delaysMs: settings.writeRetryDelaysMs },
  });
  shutdown.add(`write worker ${p}`, () => writeWorker.close());
}

/**
 * The worker role: accepted batches fanned out into ingest jobs, their enrichment, then signed delivery of their
 * events, in order per record — for every partition, or those of SNOWGATE_WORKER_PARTITIONS; while the partition
 * count changes, every old partition too, until it is drained.
 */
export function startWorkerRole(parts: SnowgateParts, shutdown: Shutdown): void {
  const { settings, logger, deliveries, breaker, metrics, layout, migration, eventLog } = parts;
  // the state cache and record lanes issue several small commands per event: one pipelined connection of their own
  const hotPath = connectRedis({ url: settings.redisUrl, cluster: settings.redisCluster }, 'worker', { autoPipelining: true });
  hotPath.on('error', (err) => logger.debug('redis hot-path connection error', { err: err.message }));
  shutdown.add('redis hot-path connection', () => closeRedis(hotPath)); // closed after the workers (closers run in reverse)
  const gate = new BreakerGate({ breaker, deliveries: deliveries.queue, logger, onTransition: (instanceId, to) => metrics.breakerTransition(instanceId, to) });
  gate.start();
  shutdown.add('breaker prober', () => gate.stop());
  const consumed = settings.workerPartitions ?? layout.indexes;
  const old = migration?.previous.prefixes ?? [];
  const hooks = composeHooks<DeliveryHooks>(deliveryMetricsHooks(metrics), eventLog?.deliveries);
  const captureBytes = eventLog ? RESPONSE_SAMPLE_BYTES : undefined; // what the event log keeps of each answer
  const shared: Shared = {
    hooks,
    writeHooks: composeHooks<WriteHooks>(metrics.writes.hooks(), eventLog?.writes),
    captureBytes,
    hotPath,
    echo: new EchoRecords(hotPath, layout, { previous: migration }),
    gate,
    firstDelivery: new FirstDelivery({ subscribers: deliveries.subscribers, breaker: gate, send: { timeoutMs: 3000, captureBytes }, hooks }),
    slots: new WriteSlots(hotPath, layout.base),
    concurrency: Math.ceil(settings.workerConcurrency / (consumed.length + old.length)),
  };
  const drain = migration && new MigrationDrain(migration, hotPath, deliveries, logger);
  for (const p of consumed) startPartitionWorkers(parts, shutdown, { label: String(p), prefix: layout.prefix(p), producer: deliveries.partition(p), drain }, shared);
  old.forEach((prefix, p) => startPartitionWorkers(parts, shutdown, { label: `old ${p}`, prefix, producer: deliveries.previous[p]! }, shared));
  drain?.start(shutdown);
  logger.info('workers started', { queues: ['intake', 'ingest', 'deliver', 'write'], partitions: consumed, ...(migration ? { oldPartitions: old.length } : {}), concurrency: settings.workerConcurrency });
}
