import { Router, type RequestHandler } from 'express';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { enqueueDirectWrite, mayWrite } from '../writes/direct-write';
import type { WriteEnqueuer } from '../writes/write-enqueuer';
import type { WriteLedger } from '../writes/write-ledger';
import { requireAdmin } from './admin-auth';
import { jsonBody } from './instance-routes';

/** What the write routes need. */
export interface WriteRoutesDeps {
  registry: InstanceRegistry;
  enqueuer: WriteEnqueuer;
  ledger: WriteLedger;
  adminToken: string;
  maxBodyBytes: number;
  logger: Logger;
  /** Called once per direct write with its outcome (`queued`, `duplicate` or the error code), for metrics. */
  onOutcome?: (instanceId: string, outcome: string) => void;
  /** Told of each replayed write (the event log). */
  onReplayed?: (instanceId: string, result: { id: string; jobId: string; replayOf: string }) => void;
}

/** 404 for an unknown instance, 401 unless the bearer is the admin token or the instance's `writes.bearer_token`. */
function writer(deps: WriteRoutesDeps): RequestHandler {
  return (req, res, next) => {
    const instance = deps.registry.get(String(req.params.id));
    if (!instance) return next(new AppError('unknown_instance', `No instance "${req.params.id}"`, 404));
    if (!mayWrite(instance, deps.adminToken, req.headers.authorization)) {
      return next(new AppError('unauthorized', 'Writes need the admin token or the instance\'s writes.bearer_token', 401, { headers: { 'WWW-Authenticate': 'Bearer' } }));
    }
    res.locals.instance = instance;
    next();
  };
}

/**
 * Direct writes for subscribers: `POST /instances/{id}/writes` (`Idempotency-Key` header: the same key is
 * the same write) → 202 `{id, status: "queued"}` or 200 `duplicate`; `GET /instances/{id}/writes/{writeId}`
 * → status, attempts, ServiceNow's answer or the error; `POST …/writes/{writeId}/replay` (admin) runs a
 * dead write again. Bodies are never logged.
 */
export function createWriteRoutes(deps: WriteRoutesDeps): Router {
  const router = Router();
  const allowed = writer(deps);

  router.post('/instances/:id/writes', allowed, ...jsonBody(deps.maxBodyBytes), async (req, res) => {
    const instance = res.locals.instance as Instance;
    try {
      const result = await enqueueDirectWrite(deps.enqueuer, instance, req.body, req.get('idempotency-key'));
      deps.onOutcome?.(instance.id, result.duplicate ? 'duplicate' : 'queued');
      res.status(result.duplicate ? 200 : 202).json({ id: result.id, status: result.duplicate ? 'duplicate' : 'queued' });
    } catch (err) {
      deps.onOutcome?.(instance.id, (err as { code?: string }).code ?? 'error');
      throw err;
    }
  });

  router.get('/instances/:id/writes/:writeId', allowed, async (req, res) => {
    res.json(await deps.ledger.status((res.locals.instance as Instance).id, String(req.params.writeId)));
  });

  router.post('/instances/:id/writes/:writeId/replay', requireAdmin(deps.adminToken), allowed, async (req, res) => {
    const instanceId = (res.locals.instance as Instance).id;
    const result = await deps.ledger.replay(instanceId, String(req.params.writeId));
    deps.onReplayed?.(instanceId, result);
    deps.logger.info('write replayed', { instanceId: req.params.id, writeId: result.id, jobId: result.jobId });
    res.json(result);
  });

  return router;
}
