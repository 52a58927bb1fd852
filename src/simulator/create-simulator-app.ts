import express, { type NextFunction, type Request, type Response } from 'express';
import { adminRoutes } from './admin-routes';
import { apiAccounting, methodOverride } from './api-accounting';
import { requireApiAuth } from './api-auth';
import { apiFaults, hibernation, latency } from './api-faults';
import { attachmentRoutes } from './attachment-routes';
import { caseRoutes } from './case-routes';
import { oauthRoutes } from './oauth-routes';
import { rateLimitRule } from './rate-limit';
import { checkRequestHeaders } from './request-headers';
import { errorBody, sendError } from './sn-errors';
import type { SimulatorState } from './simulator-state';
import { tableRoutes } from './table-routes';
import { dropResponseAfterCommit, writeSemaphore } from './write-faults';

const jsonBody = express.json({ type: (req) => /json/i.test(String(req.headers['content-type'] ?? '')), limit: '10mb', strict: false });

/**
 * The simulator's Express app (no listen): `/__sim` control routes, then for everything else
 * hibernation → (`/api`: write semaphore) → latency → OAuth, and for `/api` accounting → faults → auth →
 * rate-limit rule → drop-after-commit → APIs.
 */
export function createSimulatorApp(state: SimulatorState): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use('/__sim', adminRoutes(state));
  app.use(methodOverride);
  app.use(hibernation(state));
  app.use('/api', writeSemaphore(state));
  app.use(latency(state));
  app.use(oauthRoutes(state));
  app.use('/api', apiAccounting(state), apiFaults(state), requireApiAuth(state), rateLimitRule(state), dropResponseAfterCommit(state));
  app.use('/api/now/attachment', attachmentRoutes(state));
  app.use('/api/now', checkRequestHeaders(state), jsonBody, tableRoutes(state));
  app.use('/api/sn_customerservice', checkRequestHeaders(state), jsonBody, caseRoutes(state));
  app.use((_req: Request, res: Response) => {
    sendError(res, 400, 'Requested URI does not represent any resource', null);
  });
  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('Exception while reading request', 'The payload is not valid JSON.'));
      return;
    }
    state.logger.error('simulator request failed', { error: err });
    res.status(err.status && err.status < 600 ? err.status : 500).json(errorBody(err.message || 'Internal server error', null));
  });
  return app;
}
