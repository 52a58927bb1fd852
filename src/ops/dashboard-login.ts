import type { ErrorRequestHandler, RequestHandler } from 'express';
import { safeEqual } from '../http/admin-auth';
import { escapeHtml, sendErrorPage, wantsHtml } from '../http/html-page';
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

/**
 * A browser that reaches the dashboard without the admin token (or with a wrong one) gets a page that says
 * how to get in — a form that sends `?token=` — instead of the raw JSON 401, which API clients still get.
 */
export const dashboardSignInPage: ErrorRequestHandler = (err, req, res, next) => {
  if (!(err instanceof AppError) || err.httpStatus !== 401 || !wantsHtml(req)) return next(err);
  const path = new URL(req.originalUrl, 'http://localhost').pathname;
  const wrong = typeof req.query.token === 'string' ? '<p><strong>That token is not the admin token.</strong></p>' : '';
  sendErrorPage(res, err, 'snowgate: sign in to the queue dashboard', [
    '<h1>Queue dashboard: sign in</h1>',
    wrong,
    '<p>The dashboard needs the admin token: <code>SNOWGATE_ADMIN_TOKEN</code>, or, when it is not set, the one',
    '<code>npm start</code> keeps in <code>.snowgate/admin-token</code> (the sandbox prints it at start).',
    `Open <code>${escapeHtml(path)}?token=&lt;admin token&gt;</code> once; the token becomes a cookie and leaves the address bar.</p>`,
    `<form method="get" action="${escapeHtml(path)}"><label>Admin token <input type="password" name="token" autocomplete="off" required></label> <button type="submit">Open the dashboard</button></form>`,
  ].join('\n'));
};
