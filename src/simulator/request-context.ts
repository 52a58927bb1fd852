import type { Request, Response } from 'express';

/** The query string exactly as received, in order (Express's parsed `req.query` loses order and repeats). */
export function requestParams(req: Request): URLSearchParams {
  const q = req.originalUrl.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : req.originalUrl.slice(q + 1));
}

/** `http://host:port` as the client addressed this simulator (for absolute links). */
export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
}

/** The absolute URL of this request without its query string. */
export function absolutePath(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return baseUrl(req) + (q === -1 ? req.originalUrl : req.originalUrl.slice(0, q));
}

/** The authenticated API user's user_name (set by the auth middleware). */
export function apiUser(res: Response): string {
  return (res.locals.user as string | undefined) ?? 'admin';
}

/** A route parameter as one string (Express 5 types allow arrays for wildcards). */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join('/') : (v ?? '');
}
