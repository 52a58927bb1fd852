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
 * A browser that reaches an ops page (`what`: the queue dashboard, the event log) without the admin token (or
 * with a wrong one) gets a page that says how to get in — a form that sends `?token=` — instead of the raw
 * JSON 401, which API clients still get. The form keeps the page's other query parameters.
 */
export function opsSignInPage(what: string, button: string): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!(err instanceof AppError) || err.httpStatus !== 401 || !wantsHtml(req)) return next(err);
    const url = new URL(req.originalUrl, 'http://localhost');
    const path = url.pathname;
    const wrong = typeof req.query.token === 'string' ? '<p><strong>That token is not the admin token.</strong></p>' : '';
    const kept = [...url.searchParams].filter(([name]) => name !== 'token').map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`);
    sendErrorPage(res, err, `snowgate: sign in to ${what}`, [
      `<h1>${escapeHtml(what[0].toUpperCase() + what.slice(1))}: sign in</h1>`,
      wrong,
      `<p>${escapeHtml(what[0].toUpperCase() + what.slice(1))} needs the admin token: <code>SNOWGATE_ADMIN_TOKEN</code>, or, when it is not set, the one`,
      '<code>npm start</code> keeps in <code>.snowgate/admin-token</code> (the sandbox prints it at start).',
      `Open <code>${escapeHtml(path)}?token=&lt;admin token&gt;</code> once; the token becomes a cookie and leaves the address bar.</p>`,
      `<form method="get" action="${escapeHtml(path)}">${kept.join('')}<label>Admin token <input type="password" name="token" autocomplete="off" required></label> <button type="submit">${escapeHtml(button)}</button></form>`,
    ].join('\n'));
  };
}

/** The queue dashboard's sign-in page (see {@link opsSignInPage}). */
export const dashboardSignInPage = opsSignInPage('the queue dashboard', 'Open the dashboard');
