import type { RequestHandler } from 'express';
import { safeEqual } from '../http/admin-auth';
import { AppError } from '../lib/errors';

/** The cookie `requireAdmin` accepts in place of the bearer header. */
export const ADMIN_COOKIE = 'snowgate_admin';

/**
 * Lets a browser in with `?token=<admin token>` once: a right token becomes an HttpOnly,
 * SameSite=Strict cookie scoped to `/ops` and the browser is redirected to the same URL without
 * the token (so it leaves the address bar and history); a wrong one is 401.
 */
export function dashboardLogin(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const token = req.query.token;
    if (token === undefined) return next();
    if (typeof token !== 'string' || !safeEqual(token, adminToken)) {
      return next(new AppError('unauthorized', 'The admin token is not valid', 401));
    }
    const url = new URL(req.originalUrl, 'http://localhost');
    url.searchParams.delete('token');
    res.cookie(ADMIN_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/ops' });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, url.pathname + url.search);
  };
}
