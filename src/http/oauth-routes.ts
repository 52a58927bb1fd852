import { Router, type Request, type RequestHandler } from 'express';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import type { TokenManager } from '../servicenow/token-manager';
import { requireAdmin, safeEqual } from './admin-auth';
import { escapeHtml, htmlPage, sendErrorPage, wantsHtml } from './html-page';

/** What the OAuth routes need. */
export interface OAuthRoutesDeps {
  registry: InstanceRegistry;
  tokens: TokenManager;
  adminToken: string;
  /** SNOWGATE_PUBLIC_URL: the default redirect URI is `{publicUrl}/oauth/callback`. */
  publicUrl: string;
}

/**
 * An operator opens the authorize link in a browser, which cannot send a header: besides the
 * bearer header and the `snowgate_admin` cookie, this one route accepts `?token=<admin token>`.
 * (A token in a URL may reach proxy logs; the 302 carries `Referrer-Policy: no-referrer` so it
 * does not travel on to ServiceNow.)
 */
function adminOrQueryToken(adminToken: string): RequestHandler {
  const viaHeaderOrCookie = requireAdmin(adminToken);
  return (req, res, next) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (token !== undefined && safeEqual(token, adminToken)) return next();
    viaHeaderOrCookie(req, res, next);
  };
}

function findInstance(registry: InstanceRegistry, id: string): Instance {
  const instance = registry.get(id);
  if (!instance) throw new AppError('unknown_instance', `No instance ${id}`, 404);
  return instance;
}

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * `GET /instances/:id/oauth/authorize` (admin) → 302 to the instance's `oauth_auth.do` with state
 * and PKCE (`?redirect=false` answers `{"authorizeUrl"}` instead), and `GET /oauth/callback?code&state`
 * (no admin token: the single-use state protects it) → stores the tokens and answers a small
 * "connected" page (HTML for browsers, JSON otherwise). The same pair is the "re-generate token" flow.
 */
export function createOAuthRoutes(deps: OAuthRoutesDeps): Router {
  const router = Router();
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');

  router.get('/instances/:id/oauth/authorize', adminOrQueryToken(deps.adminToken), async (req, res) => {
    const instance = findInstance(deps.registry, String(req.params.id));
    const redirectUri = instance.auth.callbackUrl ?? `${publicUrl}/oauth/callback`;
    const authorizeUrl = await deps.tokens.beginAuthorization(instance, redirectUri);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    if (req.query.redirect === 'false') {
      res.json({ authorizeUrl, redirectUri });
      return;
    }
    res.redirect(302, authorizeUrl);
  });

  router.get('/oauth/callback', async (req, res) => {
    const error = queryString(req, 'error');
    if (error) {
      const description = queryString(req, 'error_description');
      const denied = new AppError('authorization_denied', `ServiceNow did not authorize the gateway: ${error}${description ? ` (${description})` : ''}`, 400);
      if (!wantsHtml(req)) throw denied;
      res.set('Cache-Control', 'no-store');
      sendErrorPage(res, denied, 'snowgate: not authorized', [
        '<h1>Not authorized</h1>',
        `<p>ServiceNow did not authorize the gateway: <code>${escapeHtml(error)}</code>${description ? ` (${escapeHtml(description)})` : ''}.`,
        error === 'access_denied' ? ' The consent was denied.' : '',
        '</p><p>Nothing was stored. To try again, open',
        `<code>${escapeHtml(publicUrl)}/instances/&lt;instance id&gt;/oauth/authorize?token=&lt;admin token&gt;</code> and approve.</p>`,
      ].join(''));
      return;
    }
    const code = queryString(req, 'code');
    const state = queryString(req, 'state');
    if (!code || !state) throw new AppError('invalid_request', 'The callback needs both code and state', 400);
    const instanceId = await deps.tokens.completeAuthorization(state, code);
    res.set('Cache-Control', 'no-store');
    if (wantsHtml(req)) {
      res.type('html').send(htmlPage(`snowgate: ${instanceId} connected`, `<h1>Connected</h1><p>Instance <strong>${escapeHtml(instanceId)}</strong> is authorized. You can close this page.</p>`));
      return;
    }
    res.json({ status: 'connected', instanceId });
  });

  return router;
}
