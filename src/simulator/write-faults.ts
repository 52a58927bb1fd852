import type { NextFunction, Request, Response } from 'express';
import { sendError } from './sn-errors';
import type { SimulatorKnobs } from './simulator-knobs';
import type { SimulatorState } from './simulator-state';
import { bump } from './simulator-stats';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function shouldDrop(knobs: SimulatorKnobs): boolean {
  if (knobs.dropNextWriteResponses > 0) {
    knobs.dropNextWriteResponses -= 1;
    return true;
  }
  return knobs.dropResponseAfterCommit > 0 && Math.random() < knobs.dropResponseAfterCommit;
}

/**
 * Loses the answer of a committed API write (knobs `dropNextWriteResponses`, `dropResponseAfterCommit`):
 * the record is stored and its business rules fire, then the connection is destroyed instead of
 * answering, so the client sees a socket hang up. Refused writes (4xx/5xx) answer normally.
 */
export function dropResponseAfterCommit(state: SimulatorState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!WRITE_METHODS.has(req.method)) return next();
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode >= 300 || !shouldDrop(state.knobs)) return end(...args);
      bump(state.stats.faults, 'droppedAfterCommit');
      req.socket.destroy();
      return res;
    }) as Response['end'];
    next();
  };
}

/**
 * The API_INT semaphore for writes (knob `writeConcurrencyLimit`): at most that many API writes run at
 * once (latency included), up to `writeQueueSize` more wait, and one more gets 429 — the facts give
 * no body, so this one is ours, and there is no Retry-After. Also notes the arrival time the quota counts from.
 */
export function writeSemaphore(state: SimulatorState) {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active -= 1;
    waiting.shift()?.();
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    res.locals.arrivedAt = Date.now();
    const limit = state.knobs.writeConcurrencyLimit;
    if (limit === null || limit === undefined || !WRITE_METHODS.has(req.method)) return next();
    const start = () => {
      active += 1;
      res.once('close', release);
      next();
    };
    if (active < limit) return start();
    if (waiting.length >= state.knobs.writeQueueSize) {
      bump(state.stats.faults, 'semaphoreFull');
      return sendError(res, 429, 'Too Many Requests', `API_INT semaphore queue is full (maximum ${state.knobs.writeQueueSize})`);
    }
    waiting.push(start);
    res.once('close', () => {
      const i = waiting.indexOf(start);
      if (i !== -1) waiting.splice(i, 1);
    });
  };
}
