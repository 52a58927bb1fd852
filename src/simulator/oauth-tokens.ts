import crypto from 'node:crypto';
import type { SimulatorClock } from './simulator-clock';
import type { SimulatorKnobs } from './simulator-knobs';

/** An OAuth application registry entry ("Create an endpoint for external clients to access your instance"). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** The JSON a successful `oauth_token.do` answers. */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: 'useraccount';
  token_type: 'Bearer';
  expires_in: number;
}

/** An authorization code waiting to be redeemed. */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  user: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

interface Session {
  clientId: string;
  user: string;
  access?: { token: string; expiresAt: number };
  refresh?: { token: string; expiresAt: number };
}

const CODE_LIFESPAN_MS = 120_000;

function randomToken(): string {
  return crypto.randomBytes(48).toString('base64url');
}

/**
 * Tokens as ServiceNow hands them out: within its lifespan the same access token (and the same
 * refresh token) is returned to every request of the same client and user.
 */
export class OAuthTokenStore {
  private readonly sessions = new Map<string, Session>();
  private readonly codes = new Map<string, AuthorizationCode>();

  constructor(private readonly clock: SimulatorClock, private readonly knobs: SimulatorKnobs) {}

  /** Creates a one-time authorization code. */
  issueCode(code: Omit<AuthorizationCode, 'expiresAt'>): string {
    const value = crypto.randomBytes(24).toString('base64url');
    this.codes.set(value, { ...code, expiresAt: this.now() + CODE_LIFESPAN_MS });
    return value;
  }

  /** Takes a code out of the store (codes work once); undefined when unknown or expired. */
  redeemCode(code: string): AuthorizationCode | undefined {
    const found = this.codes.get(code);
    this.codes.delete(code);
    return found && found.expiresAt > this.now() ? found : undefined;
  }

  /** Grants tokens to `user` of `clientId`; reuses the live access / refresh token when there is one. */
  grant(clientId: string, user: string, withRefresh: boolean): TokenResponse {
    const key = `${clientId}|${user}|${withRefresh ? 'r' : 'n'}`;
    const session = this.sessions.get(key) ?? { clientId, user };
    this.sessions.set(key, session);
    const now = this.now();
    if (withRefresh && (!session.refresh || session.refresh.expiresAt <= now)) {
      session.refresh = { token: randomToken(), expiresAt: now + this.knobs.refreshTokenLifespanSec * 1000 };
    }
    if (!session.access || session.access.expiresAt <= now) {
      session.access = { token: randomToken(), expiresAt: now + this.knobs.accessTokenLifespanSec * 1000 };
    }
    return {
      access_token: session.access.token,
      ...(session.refresh ? { refresh_token: session.refresh.token } : {}),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.floor((session.access.expiresAt - now) / 1000)),
    };
  }

  /** The refresh_token grant; undefined when the token is unknown, expired or another client's. */
  refresh(refreshToken: string, clientId: string): TokenResponse | undefined {
    const session = [...this.sessions.values()].find((s) => s.refresh?.token === refreshToken);
    if (!session || session.clientId !== clientId || session.refresh!.expiresAt <= this.now()) return undefined;
    return this.grant(session.clientId, session.user, true);
  }

  /** The user an access token belongs to, or undefined when it is unknown or expired. */
  authenticate(accessToken: string): string | undefined {
    const now = this.now();
    for (const s of this.sessions.values()) if (s.access?.token === accessToken && s.access.expiresAt > now) return s.user;
    return undefined;
  }

  /** `oauth_revoke_token.do`: an access token dies alone; a refresh token takes its access token along. */
  revoke(token: string): boolean {
    for (const [key, s] of this.sessions) {
      if (s.refresh?.token === token) {
        this.sessions.delete(key);
        return true;
      }
      if (s.access?.token === token) {
        s.access = undefined;
        return true;
      }
    }
    return false;
  }

  /** Every refresh and access token dead (an admin revoked them all). */
  revokeAll(): void {
    this.sessions.clear();
    this.codes.clear();
  }

  /** Every access token expires now; refresh tokens stay valid. */
  expireAccessTokens(): void {
    for (const s of this.sessions.values()) if (s.access) s.access.expiresAt = this.now() - 1;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
