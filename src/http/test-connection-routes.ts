import { Router } from 'express';
import type { InstanceRegistry } from '../instances/instance-registry';
import { AppError } from '../lib/errors';
import type { OnCall } from '../servicenow/request-executor';
import { subscriberState } from '../events/subscriber-config';
import { testConnection, type ConnectionTestResult } from '../servicenow/test-connection';
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
  /** SNOWGATE_PUBLIC_URL: where the authorize link of a failure that needs a person points. */
  publicUrl?: string;
}

/** Failures only a person in a browser can fix, through the authorize link. */
const NEEDS_AUTHORIZATION = new Set(['reauthorization_required', 'token_expired', 'not_authorized']);

/** The result, with the link to open when the failure needs an operator to (re)authorize the instance. */
function withAuthorizeLink(result: ConnectionTestResult, id: string, publicUrl: string | undefined): ConnectionTestResult | (ConnectionTestResult & { authorizeUrl: string }) {
  if (result.ok || !NEEDS_AUTHORIZATION.has(result.reason) || result.authType !== 'oauth2' || publicUrl === undefined) return result;
  const authorizeUrl = `${publicUrl.replace(/\/+$/, '')}/instances/${encodeURIComponent(id)}/oauth/authorize`;
  const hint = `open ${authorizeUrl}?token=<admin token> in a browser and approve`;
  return { ...result, message: result.message.includes('/oauth/authorize') ? result.message : `${result.message}; ${hint}`, authorizeUrl };
}

/**
 * `POST /instances/:id/test-connection` (admin) → 200 `{"ok": true, "latencyMs", ...}` or
 * 200 `{"ok": false, "reason", "message", ...}`, plus `authorizeUrl` when an operator must (re)authorize an
 * `oauth2` instance in a browser; each with `subscriber` (`ok`, `not_configured`, `off`): `ok` is about
 * ServiceNow, `subscriber` about where events go. Only an unknown instance is an error (404).
 */
export function createTestConnectionRoutes(deps: TestConnectionRoutesDeps): Router {
  const router = Router();
  router.post('/instances/:id/test-connection', requireAdmin(deps.adminToken), async (req, res) => {
    const instance = deps.registry.get(String(req.params.id));
    if (!instance) throw new AppError('unknown_instance', `No instance ${String(req.params.id)}`, 404);
    const result = await testConnection(instance, { tokens: deps.tokens, onCall: deps.onCall, timeoutMs: deps.timeoutMs });
    res.json({ ...withAuthorizeLink(result, instance.id, deps.publicUrl), subscriber: subscriberState(instance) });
  });
  return router;
}
