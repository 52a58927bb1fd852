import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';

/** 404 for any route nobody claimed, in the contract's error shape. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`, 404));
};

/** Any thrown value as an AppError: body-parser's errors keep their 4xx, everything unknown is a 500. */
export function asAppError(err: unknown): AppError {
  const e = err as { type?: string; status?: unknown; message?: unknown } | undefined;
  if (err instanceof AppError) return err;
  if (e?.type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is larger than the limit', 413);
  if (e?.type === 'entity.parse.failed') return new AppError('invalid_json', 'The request body is not valid JSON', 400);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('bad_request', String(e.message ?? 'Bad request'), e.status);
  return new AppError('internal_error', 'Something went wrong on our side', 500, { cause: err });
}

/** The one error middleware: any error becomes `{"error": {code, message, details?}}` with its status. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = asAppError(err);
    if (appError.httpStatus >= 500) logger.error('request failed', { requestId: res.locals.requestId, path: req.path, err });
    res.locals.errorCode = appError.code;
    for (const [k, v] of Object.entries(appError.options.headers ?? {})) res.setHeader(k, v);
    if (res.headersSent) return;
    res.status(appError.httpStatus).json(appError.toBody());
  };
}
