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
import type { Shutdown } from '../lib/shutdown';
import type { SnowgateParts } from '../main';

/** What every partition's workers share in one process. */
interface Shared {
  hotPath: RedisClient;
  echo: EchoRecords;
  gate: BreakerGate;
  firstDelivery: FirstDelivery;
  slots: WriteSlots;
  hooks: ReturnType<typeof deliveryMetricsHooks>;
  /** Jobs in flight per queue of one partition: the process's concurrency shared among its partitions. */
  concurrency: number;
}

/** The workers of one partition: its intake fan-out, enrichment, delivery and writes, on that partition's keys. */
function startPartitionWorkers(parts: SnowgateParts, shutdown: Shutdown, p: number, shared: Shared): void {
  const { settings, logger, registry, commands, clients, deliveries, metrics, layout } = parts;
  const prefix = layout.prefix(p);
  const claims = new ChangeClaims(shared.hotPath, prefix);
  const ingest = createIngestQueue(commands, prefix);
  shutdown.add(`fan-out ingest queue ${p}`, () => ingest.close()); // closed after the intake worker
  const common = { connection: commands, prefix, logger };
  const lockDurationMs = settings.jobLockMs;
  const intakeWorker = createIntakeWorker({ ...common, lockDurationMs, claims, ingest, onDone: (job, outcome, seconds) => metrics.jobFinished('intake', job.name, outcome, seconds) });
  shutdown.add(`intake worker ${p}`, () => intakeWorker.close());
  const producer = deliveries.partition(p);
  const lanes = new RecordLanes(shared.hotPath, prefix, producer.queue);
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
    concurrency: shared.concurrency,
    jobDeadlineMs: settings.jobDeadlineMs,
    onDone: (job, outcome, seconds) => metrics.jobFinished('ingest', job.name, outcome, seconds),
  });
  shutdown.add(`ingest worker ${p}`, () => ingestWorker.close());
  const deliveryWorker = createDeliveryWorker({
    ...common,
    controlPrefix: layout.base,
    getInstance: (id) => registry.get(id),
    lanes,
    breaker: shared.gate,
    hooks: shared.hooks,
    options: { lockDurationMs, concurrency: shared.concurrency, schedule: { delaysMs: settings.deliveryRetryDelaysMs } },
  });
  shutdown.add(`delivery worker ${p}`, () => deliveryWorker.close());
  const writeWorker = createWriteWorker({
    ...common,
    lockDurationMs,
    getInstance: (id) => registry.get(id),
    writerFor: (instance) => clients.writerFor(instance),
    echo: shared.echo,
    slots: shared.slots,
    hooks: metrics.writes.hooks(),
    concurrency: shared.concurrency,
    schedule: { delaysMs: settings.writeRetryDelaysMs },
  });
  shutdown.add(`write worker ${p}`, () => writeWorker.close());
}

/**
 * The worker role: accepted batches fanned out into ingest jobs, their enrichment, then signed delivery of their
 * events, in order per record — for every partition, or those of SNOWGATE_WORKER_PARTITIONS.
 */
export function startWorkerRole(parts: SnowgateParts, shutdown: Shutdown): void {
  const { settings, logger, deliveries, breaker, metrics, layout } = parts;
  // the state cache and record lanes issue several small commands per event: one pipelined connection of their own
  const hotPath = connectRedis({ url: settings.redisUrl, cluster: settings.redisCluster }, 'worker', { autoPipelining: true });
  hotPath.on('error', (err) => logger.debug('redis hot-path connection error', { err: err.message }));
  shutdown.add('redis hot-path connection', () => closeRedis(hotPath)); // closed after the workers (closers run in reverse)
  const gate = new BreakerGate({ breaker, deliveries: deliveries.queue, logger, onTransition: (instanceId, to) => metrics.breakerTransition(instanceId, to) });
  gate.start();
  shutdown.add('breaker prober', () => gate.stop());
  const consumed = settings.workerPartitions ?? layout.indexes;
  const hooks = deliveryMetricsHooks(metrics);
  const shared: Shared = {
    hooks,
    hotPath,
    echo: new EchoRecords(hotPath, layout),
    gate,
    firstDelivery: new FirstDelivery({ subscribers: deliveries.subscribers, breaker: gate, send: { timeoutMs: 3000 }, hooks }),
    slots: new WriteSlots(hotPath, layout.base),
    concurrency: Math.ceil(settings.workerConcurrency / consumed.length),
  };
  for (const p of consumed) startPartitionWorkers(parts, shutdown, p, shared);
  logger.info('workers started', { queues: ['intake', 'ingest', 'deliver', 'write'], partitions: consumed, concurrency: settings.workerConcurrency });
}
