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

/** Waits `latencyMs` before the request goes on. */
export function latency(state: SimulatorState) {
  return (_req: Request, _res: Response, next: NextFunction): void => {
    const ms = state.knobs.latencyMs;
    if (!(ms > 0)) return next();
    bump(state.stats.faults, 'latency');
    setTimeout(next, ms);
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
