import express, { Router, type Request } from 'express';
import type { Queue } from 'bullmq';
import { AppError, redisUnavailable } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { dashboardLogin, dashboardSignInPage } from '../ops/dashboard-login';
import type { EventReplay } from '../ops/event-replay';
import { FailedJobs } from '../ops/failed-jobs';
import { isNarrowed, parseOpsFilter, type OpsFilter } from '../ops/ops-filter';
import type { SubscriberBreakers } from '../ops/subscriber-breakers';
import { createQueueDashboard, dashboardCsp, DASHBOARD_PATH, type QueuePartition } from '../ops/queue-dashboard';
import { requireAdmin } from './admin-auth';

/** What the operations routes need. */
export interface OpsRoutesDeps {
  adminToken: string;
  /** The snowgate queues of every partition (see openOpsQueues): shown in the dashboard, counted, retried. */
  queues: readonly Queue[];
  /** The partition a queue belongs to, shown beside its name (see QueuePartition); undefined for one partition or a base queue. */
  partitionOf?: (queue: Queue) => QueuePartition | undefined;
  /** Dead-letter listing and replay (see deliveryReplay); without it those routes answer 501. */
  replay?: EventReplay;
  /** The subscribers' circuit breakers (see subscriberBreakers); without them those routes answer 501. */
  breakers?: SubscriberBreakers;
  logger: Logger;
  /** Longest `GET /ops/api/queues` waits for Redis. Default 2000 ms. */
  countTimeoutMs?: number;
}

/** The states `GET /ops/api/queues` reports (BullMQ 6 has no paused state: a paused queue says `paused: true`). */
const COUNTED = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;

function bulkFilter(req: Request): OpsFilter {
  const source = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
  const filter = parseOpsFilter(source);
  if (!isNarrowed(filter) && source.all !== true && source.all !== 'true') {
    throw new AppError('filter_required', 'A bulk action needs queue, instance, type, from or to (or "all": true)', 400);
  }
  return filter;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Operations, all behind the admin token: the Bull Board dashboard at `/ops/queues` (a browser logs
 * in once with `?token=`), `GET /ops/api/queues` (counts), failed jobs (list, retry one, retry in bulk)
 * and dead-lettered events (list, replay one, replay in bulk), and the subscribers' circuit breakers (list,
 * reset one).
 */
export function createOpsRoutes(deps: OpsRoutesDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken);
  const json = express.json({ limit: 16 * 1024 });
  const failed = new FailedJobs(deps.queues);
  const replay = (): EventReplay => {
    if (!deps.replay) throw new AppError('replay_unavailable', 'Dead-letter replay is not available in this process', 501);
    return deps.replay;
  };
  const breakers = (): SubscriberBreakers => {
    if (!deps.breakers) throw new AppError('breakers_unavailable', 'Subscriber breakers are not available in this process', 501);
    return deps.breakers;
  };

  const partitionOf = deps.partitionOf ?? (() => undefined);
  router.use(DASHBOARD_PATH, dashboardLogin(deps.adminToken), admin, dashboardCsp, createQueueDashboard(deps.queues, partitionOf), dashboardSignInPage);
  // the ops area's front door is the event log (it links to the queues)
  router.get(['/ops', '/ops/'], (req, res) => res.redirect(302, `/ops/events${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`));

  router.get('/ops/api/queues', admin, async (_req, res) => {
    try {
      const queues = await withTimeout(
        Promise.all(
          deps.queues.map(async (q) => {
            const [counts, paused] = await Promise.all([q.getJobCounts(...COUNTED), q.isPaused()]);
            return { name: q.name, ...partitionOf(q), paused, counts };
          }),
        ),
        deps.countTimeoutMs ?? 2000,
      );
      res.json({ queues });
    } catch (err) {
      throw redisUnavailable('queue_unavailable', 'The queues (Redis) are unavailable', err);
    }
  });

  router.get('/ops/api/failed', admin, async (req, res) => {
    res.json({ jobs: await failed.list(parseOpsFilter(req.query)) });
  });

  router.post('/ops/api/failed/retry', admin, json, async (req, res) => {
    const retried = await failed.retryMany(bulkFilter(req));
    deps.logger.info('failed jobs retried', { count: retried.length });
    res.json({ retried: retried.length, jobs: retried });
  });

  router.post('/ops/api/failed/:queue/:jobId/retry', admin, async (req, res) => {
    const job = await failed.retry(String(req.params.queue), String(req.params.jobId));
    deps.logger.info('failed job retried', { queue: job.queue, jobId: job.id });
    res.json({ retried: 1, jobs: [job] });
  });

  router.get('/ops/api/dead-letters', admin, async (req, res) => {
    res.json({ events: await replay().list(parseOpsFilter(req.query)) });
  });

  router.post('/ops/api/dead-letters/replay', admin, json, async (req, res) => {
    const replayed = await replay().replayBulk(bulkFilter(req));
    deps.logger.info('dead letters replayed', { count: replayed.length });
    res.json({ replayed: replayed.length, results: replayed });
  });

  router.post('/ops/api/dead-letters/:eventId/replay', admin, async (req, res) => {
    const result = await replay().replay(String(req.params.eventId));
    deps.logger.info('event replayed', { eventId: req.params.eventId });
    res.json(result);
  });

  router.get('/ops/api/subscribers', admin, async (_req, res) => {
    res.json({ subscribers: await breakers().list() });
  });

  router.post('/ops/api/subscribers/:instanceId/reset', admin, async (req, res) => {
    const result = await breakers().reset(String(req.params.instanceId));
    deps.logger.info('subscriber breaker reset', result);
    res.json(result);
  });

  return router;
}
