import type { NextFunction, Request, Response } from 'express';
import { sendError } from './sn-errors';
import type { SimulatorState } from './simulator-state';

const WRITES_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => /^\s*(\*\/\*|application\/\*|application\/json|application\/[\w.+-]*\+json|text\/json)\s*(;|$)/i.test(part));
}

/**
 * The documented header rules of the Table and Case APIs: POST/PUT/PATCH need a JSON
 * `Content-Type` (400 when missing, 415 when not JSON); an `Accept` JSON cannot satisfy gives 406.
 * With `strictHeaders`, a write without `Accept` and a DELETE without `Content-Type` are 400 too.
 */
export function checkRequestHeaders(state: SimulatorState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const accept = req.get('accept');
    const contentType = req.get('content-type');
    if (!acceptsJson(accept)) return sendError(res, 406, 'Not Acceptable', `Unsupported Accept type: ${accept}`);
    const isWrite = WRITES_WITH_BODY.has(req.method) || req.method === 'DELETE';
    if (isWrite && state.knobs.strictHeaders && !accept) return sendError(res, 400, 'Missing header', 'The Accept header is required');
    if (WRITES_WITH_BODY.has(req.method) || (req.method === 'DELETE' && state.knobs.strictHeaders)) {
      if (!contentType) return sendError(res, 400, 'Missing header', 'The Content-Type header is required');
      if (WRITES_WITH_BODY.has(req.method) && !/json/i.test(contentType)) {
        return sendError(res, 415, 'Unsupported Media Type', `Content-Type ${contentType} is not supported`);
      }
    }
    next();
  };
}
