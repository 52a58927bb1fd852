import type { RequestListener } from 'node:http';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '../lib/logger';
import { accessLog } from './access-log';
import { errorHandler, notFound } from './error-handler';
import { createHealthRoutes, type HealthCheck } from './health-routes';
import { requestId } from './request-id';
import type { WebhookDoor } from './webhook-door';

export interface AppDeps {
  logger: Logger;
  healthChecks: () => readonly HealthCheck[];
  /** Further routers (admin, ops, OAuth, sandbox), mounted after the webhook door. */
  routers?: Router[];
}

/**
 * Builds the Express app (admin, ops, OAuth, health, sandbox routes) without listening; the webhook door
 * sits in front of it (see {@link withWebhookDoor}).
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('etag', false);
  app.use(requestId);
  app.use(accessLog(deps.logger));
  app.use(helmet());
  app.use(createHealthRoutes(deps.healthChecks));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

/** One request listener: the webhook door answers its own route, the Express app everything else. */
export function withWebhookDoor(door: WebhookDoor, app: Express): RequestListener {
  return (req, res) => {
    if (!door(req, res)) app(req, res);
  };
}
