import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../lib/errors';

/** Constant-time string comparison (hashing first so lengths never leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** Requires `Authorization: Bearer <SNOWGATE_ADMIN_TOKEN>` (or `?token=` for the browser dashboard). */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const cookieToken = /(?:^|;\s*)snowgate_admin=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const supplied = bearer ?? (cookieToken ? decodeURIComponent(cookieToken) : undefined);
    if (supplied !== undefined && safeEqual(supplied, adminToken)) return next();
    next(new AppError('unauthorized', 'This route requires the admin bearer token', 401, { headers: { 'WWW-Authenticate': 'Bearer' } }));
  };
}
