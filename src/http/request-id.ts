import crypto from 'node:crypto';
import type { RequestHandler } from 'express';

const VALID = /^[A-Za-z0-9._-]{1,128}$/;

/** A sane incoming `X-Request-Id` as it is, or a new one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && VALID.test(incoming) ? incoming : crypto.randomUUID();
}

/** Takes a sane incoming `X-Request-Id` or makes one; echoes it and keeps it in `res.locals.requestId`. */
export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdOf(req.headers['x-request-id']);
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};
