import type { NextFunction, Request, Response } from 'express';
import { BAD_GATEWAY_HTML, HIBERNATING_HTML, errorBody, sendNotAuthenticated } from './sn-errors';
import type { SimulatorState } from './simulator-state';
import { bump } from './simulator-stats';

/** Every request (API and OAuth) answers 200 with the HTML hibernation page while `hibernating` is on. */
export function hibernation(state: SimulatorState) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (!state.knobs.hibernating) return next();
    bump(state.stats.faults, 'hibernating');
    res.status(200).type('html').send(HIBERNATING_HTML);
  };
}

/** The body of a transaction cancelled by the "REST Table API request timeout" quota. */
export const QUOTA_BODY = errorBody('Transaction cancelled: maximum execution time exceeded', 'REST Table API request timeout quota rule exceeded');

/**
 * Waits `latencyMs` before the request goes on. An API request that would outlive the quota
 * (`quotaTimeoutMs`, counted from arrival, semaphore wait included) is cancelled at the quota with 500
 * instead, before anything is written.
 */
export function latency(state: SimulatorState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ms = state.knobs.latencyMs;
    if (!(ms > 0)) return next();
    bump(state.stats.faults, 'latency');
    const quota = state.knobs.quotaTimeoutMs;
    const arrivedAt = res.locals.arrivedAt as number | undefined;
    const left = quota !== null && quota !== undefined && arrivedAt !== undefined ? quota - (Date.now() - arrivedAt) : Infinity;
    if (ms <= left) {
      setTimeout(next, ms);
      return;
    }
    setTimeout(() => {
      bump(state.stats.faults, 'quotaTimeout');
      res.status(500).json(QUOTA_BODY);
    }, Math.max(0, left));
  };
}

function sendServerError(res: Response, status: number): void {
  if (status === 502) {
    res.status(502).type('html').send(BAD_GATEWAY_HTML);
  } else if (status === 503) {
    res.status(503).set('Retry-After', '1').json(errorBody('Service Unavailable', 'The instance is temporarily unable to handle the request'));
  } else {
    res.status(status).json(errorBody('Internal server error', 'An unexpected error occurred while processing the request'));
  }
}

/**
 * The API-only faults, in the order an outage shows them: a 429 storm, random 5xx (`errorRate`),
 * and a forced 401 whatever the credentials.
 */
export function apiFaults(state: SimulatorState) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const { knobs, stats } = state;
    if (knobs.rateLimitStorm) {
      bump(stats.faults, 'storm');
      res.status(429).set('Retry-After', String(knobs.rateLimitStorm.retryAfterSec))
        .json(errorBody('Rate limit exceeded', 'Rate limit of 100 requests per hour for Table API exceeded'));
      return;
    }
    if (knobs.errorRate > 0 && Math.random() < knobs.errorRate) {
      const statuses = knobs.errorStatuses.length > 0 ? knobs.errorStatuses : [500];
      bump(stats.faults, 'error');
      sendServerError(res, statuses[Math.floor(Math.random() * statuses.length)]);
      return;
    }
    if (knobs.force401) {
      bump(stats.faults, 'force401');
      sendNotAuthenticated(res);
      return;
    }
    next();
  };
}
