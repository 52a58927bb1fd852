import express, { type Request, type Response } from 'express';
import { authorizeErrorPage, consentPage } from './oauth-consent-page';
import type { OAuthClient, TokenResponse } from './oauth-tokens';
import { verifyPkce } from './pkce';
import { SANDBOX_USER, type SimulatorState } from './simulator-state';
import { bump, logRequest } from './simulator-stats';

/** The body of every oauth_token.do failure (401), as ServiceNow sends it (not RFC 6749). */
export const OAUTH_FAILURE = { error_description: 'access_denied', error: 'server_error' } as const;

const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method'];

function stringParams(...sources: unknown[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (!source || typeof source !== 'object') continue;
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Query string and form body together (the form wins). */
function formParams(req: Request): Record<string, string> {
  return stringParams(req.query, req.body);
}

function redirectWith(res: Response, redirectUri: string, values: Record<string, string | undefined>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

/** Handles oauth_auth.do (GET or the consent form's POST): validates, then approves, denies or shows consent. */
function authorize(state: SimulatorState, req: Request, res: Response): void {
  if (req.method === 'GET') state.stats.authorizeRequests += 1;
  const p = formParams(req);
  const client = state.clients.get(p.client_id ?? '');
  let redirectOk = false;
  try {
    redirectOk = /^https?:$/.test(new URL(p.redirect_uri ?? '').protocol);
  } catch {
    redirectOk = false;
  }
  if (!client || !redirectOk) {
    res.status(400).type('html').send(authorizeErrorPage(!client ? 'Invalid client_id' : 'Invalid redirect_uri'));
    return;
  }
  const method = p.code_challenge ? (p.code_challenge_method ?? 'plain') : undefined;
  if (p.response_type !== 'code' || (method && method !== 'S256' && method !== 'plain')) {
    return redirectWith(res, p.redirect_uri, { error: p.response_type !== 'code' ? 'unsupported_response_type' : 'invalid_request', state: p.state });
  }
  if (req.method === 'GET' && state.knobs.requireConsent) {
    const hidden = Object.fromEntries(AUTHORIZE_PARAMS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
    res.status(200).type('html').send(consentPage(hidden, client.clientId, SANDBOX_USER.username));
    return;
  }
  if (req.method === 'POST' && p.action !== 'allow') return redirectWith(res, p.redirect_uri, { error: 'access_denied', state: p.state });
  const code = state.tokens.issueCode({
    clientId: client.clientId, redirectUri: p.redirect_uri, user: SANDBOX_USER.username,
    ...(p.code_challenge ? { codeChallenge: p.code_challenge, codeChallengeMethod: method } : {}),
  });
  redirectWith(res, p.redirect_uri, { code, state: p.state });
}

/** client_id / client_secret from the form or from an HTTP Basic header. */
function clientCredentials(req: Request, p: Record<string, string>): { id: string; secret?: string } {
  const header = req.get('authorization') ?? '';
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: p.client_id ?? '', secret: p.client_secret };
}

/** Which grant answers: tokens, or undefined for the one 401 failure body. */
function grant(state: SimulatorState, req: Request, p: Record<string, string>): TokenResponse | undefined {
  const creds = clientCredentials(req, p);
  const client: OAuthClient | undefined = state.clients.get(creds.id);
  if (!client) return undefined;
  const isPublic = client.clientSecret === '';
  const secretOk = !isPublic && creds.secret === client.clientSecret;
  switch (p.grant_type) {
    case 'password':
      return secretOk && p.username && state.passwords.get(p.username) === p.password ? state.tokens.grant(client.clientId, p.username, true) : undefined;
    case 'client_credentials': {
      const appUser = state.knobs.oauthApplicationUser;
      return secretOk && state.knobs.clientCredentialsEnabled && appUser ? state.tokens.grant(client.clientId, appUser, false) : undefined;
    }
    case 'refresh_token':
      return (secretOk || isPublic) && p.refresh_token ? state.tokens.refresh(p.refresh_token, client.clientId) : undefined;
    case 'authorization_code': {
      const code = state.tokens.redeemCode(p.code ?? '');
      if (!code || code.clientId !== client.clientId || (p.redirect_uri && p.redirect_uri !== code.redirectUri)) return undefined;
      if (code.codeChallenge && !verifyPkce(p.code_verifier ?? '', code.codeChallenge, code.codeChallengeMethod)) return undefined;
      if (!isPublic && !secretOk) return undefined;
      if (isPublic && !code.codeChallenge) return undefined;
      return state.tokens.grant(client.clientId, code.user, !isPublic);
    }
    default:
      return undefined;
  }
}

function token(state: SimulatorState, req: Request, res: Response): void {
  const isForm = (req.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const p = isForm ? stringParams(req.body) : {};
  bump(state.stats.tokenRequests, p.grant_type || (isForm ? 'none' : 'not_form_encoded'));
  logRequest(state.stats, { method: req.method, url: req.originalUrl, api: 'oauth' });
  const result = isForm ? grant(state, req, p) : undefined;
  res.set('Cache-Control', 'no-store');
  if (!result) {
    state.stats.tokenFailures += 1;
    res.status(401).json(OAUTH_FAILURE);
    return;
  }
  res.status(200).json(result);
}

function revoke(state: SimulatorState, req: Request, res: Response): void {
  state.tokens.revoke(formParams(req).token ?? '');
  res.status(200).end();
}

/** oauth_auth.do, oauth_token.do (form-encoded only) and oauth_revoke_token.do. */
export function oauthRoutes(state: SimulatorState): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, type: 'application/x-www-form-urlencoded' });
  router.get('/oauth_auth.do', (req, res) => authorize(state, req, res));
  router.post('/oauth_auth.do', form, (req, res) => authorize(state, req, res));
  router.post('/oauth_token.do', form, (req, res) => token(state, req, res));
  router.all('/oauth_revoke_token.do', form, (req, res) => revoke(state, req, res));
  return router;
}
