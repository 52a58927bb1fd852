import type { Router } from 'express';
import type { Queue } from 'bullmq';
import { createApp, withWebhookDoor } from '../http/create-app';
import { createWebhookDoor } from '../http/webhook-door';
import { createActionRoutes } from '../http/action-routes';
import { createWriteRoutes } from '../http/write-routes';
import { ActionIntake } from '../writes/action-intake';
import { WriteEnqueuer } from '../writes/write-enqueuer';
import { createBusinessRulesRoutes } from '../http/business-rules-routes';
import { createInstanceRoutes } from '../http/instance-routes';
import { createMetricsRoutes } from '../http/metrics-routes';
import { createOAuthRoutes } from '../http/oauth-routes';
import { createOpenApiRoutes } from '../http/openapi-routes';
import { createOpsRoutes } from '../http/ops-routes';
import { createTestConnectionRoutes } from '../http/test-connection-routes';
import { ChangeEnqueuer } from '../ingest/change-enqueuer';
import { PayloadValidator } from '../ingest/payload-validator';
import { RateLimiter } from '../ingest/rate-limiter';
import { SignatureVerifier } from '../ingest/signature-verifier';
import { WebhookIntake } from '../ingest/webhook-intake';
import { watchEventLoopLoad } from '../lib/event-loop-load';
import { listen, type ListeningServer } from '../lib/http-server';
import type { EnvSettings } from '../config/env';
import type { Shutdown } from '../lib/shutdown';
import type { SnowgateParts } from './snowgate-parts';
import { deliveryReplay } from '../ops/event-replay';
import { webhookOutcomeHook } from '../ops/metrics-hooks';
import { subscriberBreakers } from '../ops/subscriber-breakers';
import { changeRoutes, writeRoutes } from '../queues/partition-queues';
import type { QueuePartition } from '../ops/queue-dashboard';
import { PARTITION_QUEUES, type QueueName } from '../queues/queue-names';
import { healthChecks } from './health-checks';
import { createEventLogRoutes } from '../http/event-log-routes';
import { loggedReplay } from '../ops/logged-replay';
import type { ReplayResult } from '../queues/delivery-replayer';

/**
 * Waits (bounded) for the request-path connection before listening, so the first webhooks are not
 * answered 503 while it connects; when Redis is down, the gateway listens anyway and /readyz says so.
 */
async function untilReady(connection: SnowgateParts['producer'], timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      connection.off('ready', done);
      resolve();
    }
    connection.once('ready', done);
  });
}

/** The write direction's doors: actions (signed or bearer), direct writes and their status (admin or writes bearer). */
function writeRouters(parts: SnowgateParts): Router[] {
  const { settings, registry, clients, logger, metrics, layout, partitions, writeLedger, migration, producer, eventLog } = parts;
  const enqueuer = new WriteEnqueuer(writeRoutes(layout, partitions, migration && { on: producer, migration }), { observer: eventLog?.writes });
  const intake = new ActionIntake({ registry, verifier: new SignatureVerifier(), enqueuer, rateLimiter: new RateLimiter() });
  const common = { registry, adminToken: settings.adminToken, maxBodyBytes: settings.maxBodyBytes, logger };
  return [
    createActionRoutes({ ...common, intake, clients, onOutcome: (id, outcome) => metrics.writes.receivedAt(id, 'action', outcome) }),
    createWriteRoutes({
      ...common,
      enqueuer,
      ledger: writeLedger,
      onOutcome: (id, outcome) => metrics.writes.receivedAt(id, 'direct', outcome),
      onReplayed: (instanceId, r) => eventLog?.replayed({ id: r.id, instanceId, kind: 'write', jobId: r.jobId, replayOf: r.replayOf }),
    }),
  ];
}

/** Admin and operator routes (behind the admin token; the OAuth callback is protected by its state instead). */
function adminRouters(parts: SnowgateParts): Router[] {
  const { settings, registry, tokens, store, logger, opsQueues, deliveries, breaker, metrics, eventLog, writeLedger, layout, migration } = parts;
  const partitionOf = (queue: Queue): QueuePartition | undefined => {
    if (!PARTITION_QUEUES.includes(queue.name as QueueName)) return undefined;
    const [current, old] = [layout.indexOf(queue.opts.prefix ?? ''), migration?.previous.indexOf(queue.opts.prefix ?? '')];
    if (old !== undefined && current === undefined) return { partition: old, old: true };
    return layout.count > 1 && current !== undefined ? { partition: current } : undefined;
  };
  const common = { registry, adminToken: settings.adminToken, publicUrl: settings.publicUrl };
  const recordReplay = (r: ReplayResult) => eventLog?.replayed({ id: r.eventId, instanceId: r.instanceId, kind: 'event', jobId: r.jobId, replayOf: r.replayOf });
  const replay = deliveryReplay(deliveries, recordReplay);
  return [
    createInstanceRoutes({ ...common, store, logger, tokens }),
    createOAuthRoutes({ ...common, tokens }),
    createTestConnectionRoutes({ ...common, tokens }),
    createBusinessRulesRoutes(common),
    createOpsRoutes({ adminToken: settings.adminToken, queues: opsQueues, partitionOf, replay, breakers: subscriberBreakers(breaker, registry, deliveries.queue), logger }),
    createEventLogRoutes({
      adminToken: settings.adminToken,
      eventLog,
      replay: eventLog && loggedReplay({ eventLog, events: replay, writes: writeLedger }),
      instances: () => registry.list().map((i) => i.id),
      logger,
    }),
    createMetricsRoutes({ metrics, adminToken: settings.adminToken, public: settings.metricsPublic }),
    createOpenApiRoutes({ publicUrl: settings.publicUrl }),
  ];
}

/**
 * When groups of webhooks go as intake jobs (SNOWGATE_INTAKE): in `auto`, while the request path is saturated
 * (measured on the 2-core machine: the api's loop runs at 0.6–0.95 when it is the bottleneck, 0.3–0.5 at 500
 * webhooks/s) — the only mode that watches the event loop.
 */
function saturationFor(mode: EnvSettings['intake'], shutdown: Shutdown): () => boolean {
  if (mode === 'always') return () => true;
  if (mode === 'never') return () => false;
  const load = watchEventLoopLoad(0.6);
  shutdown.add('event-loop load watch', () => load.stop());
  return load.busy;
}

/** The api role: the webhook door plus admin, ops, OAuth and sandbox routes, listening on PORT. */
export async function startApiRole(parts: SnowgateParts, shutdown: Shutdown, extraRouters: Router[]): Promise<ListeningServer> {
  const { settings, logger, registry, layout, partitions, metrics, migration, producer } = parts;
  const saturated = saturationFor(settings.intake, shutdown);
  const intake = new WebhookIntake({
    registry,
    verifier: new SignatureVerifier(),
    validator: new PayloadValidator(),
    enqueuer: new ChangeEnqueuer(changeRoutes(layout, partitions, migration && { on: producer, migration }), { saturated, intakeFrom: settings.intake === 'always' ? 1 : undefined, observer: parts.eventLog?.changes }),
    rateLimiter: new RateLimiter(),
  });
  await untilReady(parts.producer, 5000);
  const door = createWebhookDoor({ intake, maxBodyBytes: settings.maxBodyBytes, logger, onOutcome: webhookOutcomeHook(metrics) });
  const app = createApp({ logger, healthChecks: () => healthChecks(parts), routers: [...writeRouters(parts), ...adminRouters(parts), ...extraRouters] });
  const http = await listen(withWebhookDoor(door, app), settings.port, settings.host);
  shutdown.add('http server', () => http.close());
  logger.info('gateway listening', { url: http.url, role: settings.role });
  return http;
}

/** Worker and scheduler processes still answer /healthz, /readyz and /metrics on PORT (containers and Prometheus need them). */
export async function startOpsListener(parts: SnowgateParts, shutdown: Shutdown): Promise<ListeningServer> {
  const { settings, logger, metrics } = parts;
  const app = createApp({
    logger,
    healthChecks: () => healthChecks(parts),
    routers: [createMetricsRoutes({ metrics, adminToken: settings.adminToken, public: settings.metricsPublic })],
  });
  const http = await listen(app, settings.port, settings.host);
  shutdown.add('ops listener', () => http.close());
  logger.info('ops listener (health, metrics)', { url: http.url, role: settings.role });
  return http;
}
