import { Router } from 'express';
import type { InstanceRegistry } from '../instances/instance-registry';
import { AppError } from '../lib/errors';
import type { OnCall } from '../servicenow/request-executor';
import { subscriberState } from '../events/subscriber-config';
import { testConnection } from '../servicenow/test-connection';
import type { TokenManager } from '../servicenow/token-manager';
import { requireAdmin } from './admin-auth';

/** What the test-connection route needs. */
export interface TestConnectionRoutesDeps {
  registry: InstanceRegistry;
  tokens: TokenManager;
  adminToken: string;
  /** Metrics hook passed to the client. */
  onCall?: OnCall;
  /** Per-request timeout of the test call. Default 10 s. */
  timeoutMs?: number;
}

/**
 * `POST /instances/:id/test-connection` (admin) → 200 `{"ok": true, "latencyMs", ...}` or
 * 200 `{"ok": false, "reason", "message", ...}`, each with `subscriber` (`ok`, `not_configured`, `off`): `ok`
 * is about ServiceNow, `subscriber` about where events go. Only an unknown instance is an error (404).
 */
export function createTestConnectionRoutes(deps: TestConnectionRoutesDeps): Router {
  const router = Router();
  router.post('/instances/:id/test-connection', requireAdmin(deps.adminToken), async (req, res) => {
    const instance = deps.registry.get(String(req.params.id));
    if (!instance) throw new AppError('unknown_instance', `No instance ${String(req.params.id)}`, 404);
    const result = await testConnection(instance, { tokens: deps.tokens, onCall: deps.onCall, timeoutMs: deps.timeoutMs });
    res.json({ ...result, subscriber: subscriberState(instance) });
  });
  return router;
}
