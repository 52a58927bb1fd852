import crypto from 'node:crypto';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import { authorizeUrl, exchangeCode, TokenEndpointError } from './oauth-grants';
import type { TokenStore } from './token-store';
import type { StoredTokens } from './token-types';
import { toStoredTokens } from './token-set';

/** A PKCE pair: a random verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
}

/** What the authorization-code flow needs from its owner. */
export interface AuthorizationFlowDeps {
  store: TokenStore;
  instances: { get(id: string): Instance | undefined };
  /** How long a started authorization stays valid (seconds). */
  ttlSec: number;
  refreshLifespanMs: number;
  timeoutMs: number;
}

/**
 * Starts the authorization-code flow: remembers a random state with its PKCE verifier and redirect
 * URI in Redis for `ttlSec`, and returns the `{instanceUrl}/oauth_auth.do?...` URL to send the browser to.
 */
export async function beginAuthorization(deps: AuthorizationFlowDeps, instance: Instance, redirectUri: string): Promise<string> {
  if (instance.auth.type !== 'oauth2') {
    throw new AppError('unsupported_auth_type', `Instance ${instance.id} uses ${instance.auth.type}, not the authorization-code flow`, 400);
  }
  const state = crypto.randomBytes(24).toString('base64url');
  const { verifier, challenge } = pkcePair();
  await deps.store.savePending(state, { instanceId: instance.id, codeVerifier: verifier, redirectUri }, deps.ttlSec);
  return authorizeUrl(instance, { redirectUri, state, codeChallenge: challenge });
}

/**
 * Finishes the flow: consumes the state (once), exchanges the code with its verifier and the client
 * credentials, stores the tokens. Returns the instance and the stored tokens.
 * Throws AppError `invalid_state` (400) for an unknown, used or expired state.
 */
export async function completeAuthorization(
  deps: AuthorizationFlowDeps,
  state: string,
  code: string,
): Promise<{ instance: Instance; tokens: StoredTokens }> {
  const pending = state ? await deps.store.takePending(state) : undefined;
  if (!pending) throw new AppError('invalid_state', 'The authorization state is unknown or has expired; start again', 400);
  const instance = deps.instances.get(pending.instanceId);
  if (!instance) throw new AppError('unknown_instance', `No instance ${pending.instanceId}`, 404);
  const tokens = await redeemCode(deps, instance, { code, redirectUri: pending.redirectUri, codeVerifier: pending.codeVerifier });
  await deps.store.save(instance.id, tokens);
  return { instance, tokens };
}

/**
 * Exchanges an authorization code for the tokens to store. Used by the flow above and for a code obtained
 * outside it (Cloud Elements' `providerData.code`: no state, no PKCE verifier). Throws AppError 400
 * `authorization_failed` when ServiceNow refuses the code, 502 `servicenow_unreachable` when it cannot be asked.
 */
export async function redeemCode(
  deps: Pick<AuthorizationFlowDeps, 'timeoutMs' | 'refreshLifespanMs'>,
  instance: Instance,
  p: { code: string; redirectUri: string; codeVerifier?: string },
): Promise<StoredTokens> {
  let response;
  try {
    response = await exchangeCode(instance, p, deps.timeoutMs);
  } catch (err) {
    if (err instanceof TokenEndpointError && err.kind === 'rejected') {
      throw new AppError('authorization_failed', `ServiceNow refused the authorization code (${err.status})`, 400, { cause: err });
    }
    throw new AppError('servicenow_unreachable', `Could not exchange the authorization code: ${(err as Error).message}`, 502, { cause: err, retryable: true });
  }
  return toStoredTokens(response, 'authorization_code', undefined, deps.refreshLifespanMs);
}
