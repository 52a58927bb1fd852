import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger';

/**
 * One log line per finished request: method, path (no query string: it may carry a token), status,
 * duration and request id. Bodies and headers are never logged. Successes log at debug, client errors
 * at info, server errors at warn.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'warn' : status >= 400 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      logger.log(level, 'request', {
        requestId: res.locals.requestId,
        method: req.method,
        path: req.path,
        status,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        ...(res.locals.errorCode ? { code: res.locals.errorCode } : {}),
      });
    });
    next();
  };
}
