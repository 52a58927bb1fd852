/** Where an instance stands with its ServiceNow credentials. */
export type AuthStatus =
  /** Tokens (or basic credentials) usable. */
  | 'ok'
  /** The refresh token is dead or the client credentials were rejected: an operator must act. */
  | 'reauthorization_required'
  /** An `oauth2` instance that nobody has authorized yet. */
  | 'not_authorized'
  /** The last token request failed for a transient reason (network, 5xx); the next call tries again. */
  | 'error';

/** The visible token state of one instance (never holds a token). Dates are ISO 8601. */
export interface AuthState {
  status: AuthStatus;
  reason?: string;
  refreshTokenExpiresAt?: string;
  accessTokenExpiresAt?: string;
  lastRefreshAt?: string;
}

/** How a token set was obtained. */
export type GrantKind = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** One instance's tokens as kept (encrypted) in Redis. Times are epoch milliseconds. */
export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  scope?: string;
  accessTokenExpiresAt: number;
  /** Computed: ServiceNow does not return it (issue time + the configured refresh-token lifespan). */
  refreshTokenExpiresAt?: number;
  obtainedAt: number;
  grant: GrantKind;
  /**
   * ServiceNow answered an early refresh with the same, still-live access token (it does so until
   * that token expires): refreshing ahead gains nothing, so use it up to its expiry.
   */
  sameTokenReturned?: boolean;
}

/** What the ServiceNow client needs from a token source: an Authorization header, and a way to report one rejected. */
export interface AuthorizationProvider {
  /** `Bearer …` or `Basic …` for this instance; throws AppError when none can be had. */
  authorizationHeader(instance: import('../instances/instance').Instance): Promise<string>;
  /**
   * Reports that ServiceNow answered 401 to `rejectedHeader`. Returns true when a retry with a
   * fresh header makes sense (OAuth), false when not (basic credentials are simply wrong).
   */
  invalidate(instance: import('../instances/instance').Instance, rejectedHeader: string): Promise<boolean>;
}
