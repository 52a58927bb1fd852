import { Router, type RequestHandler } from 'express';
import type { Metrics } from '../ops/metrics';
import { requireAdmin } from './admin-auth';

/** What `GET /metrics` needs. */
export interface MetricsRoutesDeps {
  metrics: Metrics;
  adminToken: string;
  /**
   * Serve /metrics without the admin token (e.g. `SNOWGATE_METRICS_PUBLIC=true` when only the
   * scraper can reach the port). Default false: Prometheus sends the token with `authorization.credentials`.
   */
  public?: boolean;
}

/** `GET /metrics` — the Prometheus text exposition of every `snowgate_` metric. */
export function createMetricsRoutes(deps: MetricsRoutesDeps): Router {
  const router = Router();
  const guard: RequestHandler = deps.public ? (_req, _res, next) => next() : requireAdmin(deps.adminToken);
  router.get('/metrics', guard, async (_req, res) => {
    const { contentType, body } = await deps.metrics.render();
    res.setHeader('Cache-Control', 'no-store');
    res.type(contentType).send(body);
  });
  return router;
}
