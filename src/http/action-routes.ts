import { Router } from 'express';
import type { InstanceRegistry } from '../instances/instance-registry';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { ClientPool } from '../servicenow/client-pool';
import type { ActionIntake } from '../writes/action-intake';
import { testAction } from '../writes/action-test';
import { requireAdmin } from './admin-auth';
import { jsonBody } from './instance-routes';
import { readBody } from './read-body';

/** What the action routes need. */
export interface ActionRoutesDeps {
  intake: ActionIntake;
  registry: InstanceRegistry;
  clients: ClientPool;
  adminToken: string;
  maxBodyBytes: number;
  logger: Logger;
  /** Called once per posted event with its outcome (`queued`, `duplicate`, `filtered` or the error code), for metrics. */
  onOutcome?: (instanceId: string, outcome: string) => void;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * `POST /actions/{instanceId}/{action}` — the action door: any JSON event, authenticated by the action's
 * bearer token or Standard Webhooks signature; 202 `{id, status: "queued"}` once Redis has the write, 200
 * `duplicate` / `filtered`, errors as on the webhook door (cheap checks first: 404, 415, 429, then the body).
 * `POST /instances/{id}/actions/{action}/test[?send=true]` (admin) renders a sample event into the request.
 */
export function createActionRoutes(deps: ActionRoutesDeps): Router {
  const router = Router();
  const { intake } = deps;

  router.post('/actions/:instanceId/:action', async (req, res) => {
    const instanceId = String(req.params.instanceId);
    try {
      const { instance, action } = intake.target(instanceId, String(req.params.action));
      if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) throw new AppError('unsupported_media_type', 'Content-Type must be application/json', 415);
      intake.admit(instance);
      const body = await readBody(req, deps.maxBodyBytes);
      const outcome = await intake.accept(instance, action, body, req.headers as Record<string, string>);
      deps.onOutcome?.(instance.id, outcome.status);
      if (outcome.status === 'filtered') res.status(200).json({ status: 'filtered', reason: outcome.reason });
      else res.status(outcome.status === 'queued' ? 202 : 200).json({ id: outcome.id, status: outcome.status });
    } catch (err) {
      const known = deps.registry.get(instanceId);
      deps.onOutcome?.(known ? known.id : '_unknown', (err as { code?: string }).code ?? 'error');
      throw err;
    }
  });

  router.post('/instances/:id/actions/:action/test', requireAdmin(deps.adminToken), ...jsonBody(deps.maxBodyBytes), async (req, res) => {
    const { instance, action } = intake.target(String(req.params.id), String(req.params.action));
    const result = await testAction(deps.clients.writerFor(instance), action, req.body, req.query.send === 'true' || req.query.send === '1');
    deps.logger.info('action tested', { instanceId: instance.id, action: action.name, sent: result.response !== undefined || result.error !== undefined });
    res.json(result);
  });

  return router;
}
