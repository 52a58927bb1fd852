import { AuthorizationCode, ClientCredentials, type ModuleOptions } from 'simple-oauth2';
import type { Instance } from '../instances/instance';
import { isSsrfRefusal } from '../lib/ssrf-guard';
import { oauthAgent } from './outbound-guard';

/** Why a request to `oauth_token.do` failed. */
export type TokenFailureKind =
  /** 400/401/403: the grant (code, refresh token, client credentials) is not accepted. */
  | 'rejected'
  /** Network error, timeout, 429 or 5xx: may work later. */
  | 'unavailable'
  /** A 2xx that is not a JSON token (a hibernating instance answers HTML). */
  | 'unexpected';

/** A failed token request. Carries no token, secret or response body. */
export class TokenEndpointError extends Error {
  constructor(public readonly kind: TokenFailureKind, public readonly status: number | undefined, message: string) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

/** A token response as simple-oauth2 parsed it (`expires_at` computed from `expires_in`). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type?: string;
  scope?: string;
  expires_at?: Date;
}

/** ServiceNow's endpoints: form-encoded body, client id and secret in the body (not a Basic header). */
function moduleOptions(instance: Instance, timeoutMs: number, withAuthorize = true): ModuleOptions {
  const base = new URL(instance.instanceUrl);
  const path = base.pathname.replace(/\/+$/, '');
  return {
    client: { id: instance.auth.clientId ?? '', secret: instance.auth.clientSecret ?? '' },
    auth: {
      tokenHost: base.origin,
      tokenPath: `${path}/oauth_token.do`,
      // simple-oauth2 refuses authorize settings on the client-credentials grant
      ...(withAuthorize ? { authorizeHost: base.origin, authorizePath: `${path}/oauth_auth.do` } : {}),
    },
    options: { authorizationMethod: 'body', bodyFormat: 'form' },
    http: { timeout: timeoutMs },
  };
}

/**
 * {@link moduleOptions} for a request simple-oauth2 makes itself: through the SSRF guard's agent (see
 * oauthAgent), so a token request reaches only public addresses unless the instance allows private targets.
 */
function requestOptions(instance: Instance, timeoutMs: number, withAuthorize = true): ModuleOptions {
  const options = moduleOptions(instance, timeoutMs, withAuthorize);
  const agent = oauthAgent(instance);
  return agent ? { ...options, http: { ...options.http, agent } } : options;
}

function toEndpointError(err: unknown): TokenEndpointError {
  const boom = err as { isBoom?: boolean; output?: { statusCode?: number }; data?: { isResponseError?: boolean; res?: { statusCode?: number } } };
  if (boom?.isBoom && boom.data?.isResponseError) {
    const status = boom.output?.statusCode;
    const kind = status === 400 || status === 401 || status === 403 ? 'rejected' : 'unavailable';
    return new TokenEndpointError(kind, status, `oauth_token.do answered ${status}`);
  }
  const resStatus = boom?.data?.res?.statusCode;
  if (boom?.isBoom && resStatus !== undefined && resStatus < 400) {
    return new TokenEndpointError('unexpected', resStatus, 'oauth_token.do answered something other than JSON (hibernating instance?)');
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TokenEndpointError('unavailable', undefined, `oauth_token.do unreachable: ${message}`);
}

function normalize(token: Record<string, unknown>): TokenResponse {
  if (typeof token.access_token !== 'string' || token.access_token === '') {
    throw new TokenEndpointError('unexpected', 200, 'oauth_token.do answered without an access_token');
  }
  return token as unknown as TokenResponse;
}

/** Runs one token request; an SSRF refusal is thrown as it is (nothing was sent), every other failure as a TokenEndpointError. */
async function call(fn: () => Promise<{ token: Record<string, unknown> }>): Promise<TokenResponse> {
  let result: { token: Record<string, unknown> };
  try {
    result = await fn();
  } catch (err) {
    throw err instanceof TokenEndpointError || isSsrfRefusal(err) ? err : toEndpointError(err);
  }
  return normalize(result.token);
}

/** The `oauth_auth.do` URL a browser is sent to, with state and a PKCE S256 challenge. */
export function authorizeUrl(instance: Instance, p: { redirectUri: string; state: string; codeChallenge: string }): string {
  return new AuthorizationCode(moduleOptions(instance, 10_000)).authorizeURL({
    redirect_uri: p.redirectUri,
    state: p.state,
    code_challenge: p.codeChallenge,
    code_challenge_method: 'S256',
  } as Parameters<AuthorizationCode['authorizeURL']>[0]);
}

/** Exchanges an authorization code (with its PKCE verifier, when the flow that got it used one) for tokens. */
export function exchangeCode(instance: Instance, p: { code: string; redirectUri: string; codeVerifier?: string }, timeoutMs: number): Promise<TokenResponse> {
  const params = { code: p.code, redirect_uri: p.redirectUri, ...(p.codeVerifier ? { code_verifier: p.codeVerifier } : {}) };
  return call(() => new AuthorizationCode(requestOptions(instance, timeoutMs)).getToken(params as Parameters<AuthorizationCode['getToken']>[0]));
}

/**
 * Uses a refresh token. ServiceNow may leave `refresh_token` out of the answer: the caller keeps the
 * old one (simple-oauth2 5.1 does not carry it over correctly).
 */
export function refreshTokens(instance: Instance, refreshToken: string, timeoutMs: number): Promise<TokenResponse> {
  return call(() => new AuthorizationCode(requestOptions(instance, timeoutMs)).createToken({ refresh_token: refreshToken, access_token: '' }).refresh());
}

/** The client_credentials grant (no refresh token in the answer). */
export function clientCredentials(instance: Instance, timeoutMs: number): Promise<TokenResponse> {
  return call(() => new ClientCredentials(requestOptions(instance, timeoutMs, false)).getToken({}));
}
