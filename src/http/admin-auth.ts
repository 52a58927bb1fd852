import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../lib/errors';

/** Constant-time string comparison (hashing first so lengths never leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** The admin cookie's value, percent-decoded; undefined when absent or not decodable (a malformed cookie is no credential). */
function cookieToken(cookieHeader: string | undefined): string | undefined {
  const raw = /(?:^|;\s*)snowgate_admin=([^;]+)/.exec(cookieHeader ?? '')?.[1];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Requires `Authorization: Bearer <SNOWGATE_ADMIN_TOKEN>` (or the dashboard's cookie); anything else is 401. */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const supplied = bearer ?? cookieToken(req.headers.cookie);
    if (supplied !== undefined && safeEqual(supplied, adminToken)) return next();
    next(new AppError('unauthorized', 'This route requires the admin bearer token', 401, { headers: { 'WWW-Authenticate': 'Bearer' } }));
  };
}
