import type { TokenResponse } from './oauth-grants';
import type { GrantKind, StoredTokens } from './token-types';

/** ServiceNow's default access-token lifespan, used when a response carries no `expires_in`. */
const DEFAULT_ACCESS_LIFESPAN_MS = 1800 * 1000;

/**
 * Turns a token response into what is stored. ServiceNow never says when a refresh token expires,
 * so the expiry is computed: issue time + `refreshLifespanMs` when the refresh token is new, the
 * previous expiry when the same refresh token comes back (or none: keep the old one).
 */
export function toStoredTokens(
  response: TokenResponse,
  grant: GrantKind,
  previous: StoredTokens | undefined,
  refreshLifespanMs: number,
  now = Date.now(),
): StoredTokens {
  const refreshToken = grant === 'client_credentials' ? undefined : response.refresh_token || previous?.refreshToken;
  const reissued = grant === 'authorization_code' || (response.refresh_token !== undefined && response.refresh_token !== previous?.refreshToken);
  let refreshTokenExpiresAt: number | undefined;
  if (refreshToken) refreshTokenExpiresAt = reissued || !previous?.refreshTokenExpiresAt ? now + refreshLifespanMs : previous.refreshTokenExpiresAt;
  const expiresAt = response.expires_at instanceof Date && !Number.isNaN(response.expires_at.getTime()) ? response.expires_at.getTime() : now + DEFAULT_ACCESS_LIFESPAN_MS;
  return {
    accessToken: response.access_token,
    refreshToken,
    tokenType: response.token_type ?? 'Bearer',
    scope: response.scope,
    accessTokenExpiresAt: expiresAt,
    refreshTokenExpiresAt,
    obtainedAt: now,
    grant,
    ...(previous && previous.accessToken === response.access_token ? { sameTokenReturned: true } : {}),
  };
}
