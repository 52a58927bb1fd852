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
import { closeRedis, connectRedis } from '../lib/redis-connections';
import { composeHooks } from '../lib/compose-hooks';
import type { DeliveryHooks } from '../events/delivery-record';
import type { WriteHooks } from '../writes/write-record';
import { RESPONSE_SAMPLE_BYTES } from '../event-log/event-log';
import type { Shutdown } from '../lib/shutdown';
import type { SnowgateParts } from '../main';

/** The worker role: accepted batches fanned out into ingest jobs, their enrichment, then signed delivery of their events, in order per record. */
export function startWorkerRole(parts: SnowgateParts, shutdown: Shutdown): void {
  const { settings, logger, registry, commands, clients, deliveries, breaker, metrics, eventLog } = parts;
  // the state cache and record lanes issue several small commands per event: one pipelined connection of their own
  const hotPath = connectRedis({ url: settings.redisUrl, cluster: settings.redisCluster }, 'worker', { autoPipelining: true });
  hotPath.on('error', (err) => logger.debug('redis hot-path connection error', { err: err.message }));
  shutdown.add('redis hot-path connection', () => closeRedis(hotPath)); // closed after the workers (closers run in reverse)
  const claims = new ChangeClaims(hotPath, settings.queuePrefix);
  const ingest = createIngestQueue(commands, settings.queuePrefix);
  shutdown.add('fan-out ingest queue', () => ingest.close()); // closed after the intake worker
  const intakeWorker = createIntakeWorker({
    connection: commands,
    prefix: settings.queuePrefix,
    claims,
    ingest,
    logger,
    lockDurationMs: settings.jobLockMs,
    onDone: (job, outcome, seconds) => metrics.jobFinished('intake', job.name, outcome, seconds),
  });
  shutdown.add('intake worker', () => intakeWorker.close());
  const enricher = new ChangeEnricher({
    apiFor: (instance) => enrichmentApiFor(clients.for(instance)),
    stateCache: new StateCache(hotPath, settings.queuePrefix),
  });
  const lanes = new RecordLanes(hotPath, settings.queuePrefix, deliveries.queue);
  const echo = new EchoRecords(hotPath, settings.queuePrefix);
  const hooks = composeHooks<DeliveryHooks>(deliveryMetricsHooks(metrics), eventLog?.deliveries);
  const captureBytes = eventLog ? RESPONSE_SAMPLE_BYTES : undefined; // what the event log keeps of each answer
  const gate = new BreakerGate({ breaker, deliveries: deliveries.queue, logger, onTransition: (instanceId, to) => metrics.breakerTransition(instanceId, to) });
  gate.start();
  shutdown.add('breaker prober', () => gate.stop());
  const ingestWorker = createIngestWorker({
    connection: commands,
    prefix: settings.queuePrefix,
    registry,
    enricher,
    deliveries,
    lanes,
    echo,
    onOwnWrite: (instanceId, suppressed) => metrics.writes.echo(instanceId, suppressed ? 'suppressed' : 'tagged'),
    firstDelivery: new FirstDelivery({ subscribers: deliveries.subscribers, breaker: gate, send: { timeoutMs: 3000, captureBytes }, hooks }),
    observer: eventLog?.changes,
    logger,
    concurrency: settings.workerConcurrency,
    lockDurationMs: settings.jobLockMs,
    jobDeadlineMs: settings.jobDeadlineMs,
    onDone: (job, outcome, seconds) => metrics.jobFinished('ingest', job.name, outcome, seconds),
  });
  shutdown.add('ingest worker', () => ingestWorker.close());
  const deliveryWorker = createDeliveryWorker({
    connection: commands,
    prefix: settings.queuePrefix,
    getInstance: (id) => registry.get(id),
    logger,
    lanes,
    breaker: gate,
    hooks,
    options: {
      lockDurationMs: settings.jobLockMs,
      concurrency: settings.workerConcurrency,
      schedule: { delaysMs: settings.deliveryRetryDelaysMs },
      stalledIntervalMs: Math.min(settings.jobLockMs, 30_000),
      captureBytes,
    },
  });
  shutdown.add('delivery worker', () => deliveryWorker.close());
  const writeWorker = createWriteWorker({
    connection: commands,
    prefix: settings.queuePrefix,
    getInstance: (id) => registry.get(id),
    writerFor: (instance) => clients.writerFor(instance),
    echo,
    slots: new WriteSlots(hotPath, settings.queuePrefix),
    hooks: composeHooks<WriteHooks>(metrics.writes.hooks(), eventLog?.writes),
    logger,
    concurrency: settings.workerConcurrency,
    lockDurationMs: settings.jobLockMs,
    schedule: { delaysMs: settings.writeRetryDelaysMs },
  });
  shutdown.add('write worker', () => writeWorker.close());
  logger.info('workers started', { queues: ['intake', 'ingest', 'deliver', 'write'], concurrency: settings.workerConcurrency });
}
