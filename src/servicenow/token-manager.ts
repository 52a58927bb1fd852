import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Instance } from '../instances/instance';
import { AppError } from '../lib/errors';
import { isSsrfRefusal } from '../lib/ssrf-guard';
import { silentLogger, type Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import { beginAuthorization, completeAuthorization, redeemCode, type AuthorizationFlowDeps } from './authorization-code-flow';
import { clientCredentials, refreshTokens, TokenEndpointError, type TokenResponse } from './oauth-grants';
import { RefreshTokenWarning } from './refresh-token-warning';
import { notAuthorized, reauthorizationRequired, tokenRefreshFailed } from './token-errors';
import { toStoredTokens } from './token-set';
import { fingerprint, TokenStore, type TokenRecord } from './token-store';
import type { AuthState, AuthorizationProvider, StoredTokens } from './token-types';

/** How a TokenManager is built. Only `redis`, `encryptionKey` and `instances` are required. */
export interface TokenManagerOptions {
  /** A command connection (not a subscriber). Tokens live at `{keyPrefix}:{instanceId}`. */
  redis: RedisClient;
  /** 32 bytes (SNOWGATE_ENCRYPTION_KEY): tokens are AES-256-GCM encrypted at rest. */
  encryptionKey: Buffer;
  /** Looks up the instance a pending authorization belongs to (an InstanceRegistry fits). */
  instances: { get(id: string): Instance | undefined };
  /** Default `snowgate:tokens`. */
  keyPrefix?: string;
  logger?: Logger;
  /** Refresh this long before the access token expires. Default 60 s. */
  refreshAheadSec?: number;
  /** ServiceNow's "Refresh Token Lifespan" of the OAuth entity. Default 8,640,000 s (100 days). */
  refreshTokenLifespanSec?: number;
  /** Warn when the refresh token expires within this many days. Default 14. */
  refreshTokenWarningDays?: number;
  /** TTL of the cross-process refresh lock. Default 15 s (longer than a token request). */
  lockTtlMs?: number;
  /** How long a caller waits for another process's refresh before giving up. Default 20 s. */
  waitTimeoutMs?: number;
  /** How often a waiting caller re-reads the stored token. Default 50 ms. */
  pollIntervalMs?: number;
  /** Lifetime of a started authorization (state + PKCE verifier). Default 600 s. */
  authorizationTtlSec?: number;
  /** Timeout of one request to oauth_token.do. Default 10 s. */
  tokenRequestTimeoutMs?: number;
}

/**
 * Keeps every instance's ServiceNow tokens fresh: encrypted in Redis, refreshed ahead of expiry,
 * one token request at a time across all processes (Redis lock + waiting on the stored token, with
 * an in-process single flight on top), and a "reauthorization required" state that makes later
 * calls fail fast instead of hammering oauth_token.do with a dead refresh token.
 */
export class TokenManager implements AuthorizationProvider {
  private readonly store: TokenStore;
  private readonly logger: Logger;
  private readonly o: Required<Omit<TokenManagerOptions, 'redis' | 'encryptionKey' | 'instances' | 'keyPrefix' | 'logger'>>;
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly expiryWarning: RefreshTokenWarning;
  private readonly flow: AuthorizationFlowDeps;

  constructor(options: TokenManagerOptions) {
    this.store = new TokenStore(options.redis, options.encryptionKey, options.keyPrefix ?? 'snowgate:tokens');
    this.logger = options.logger ?? silentLogger;
    this.o = {
      refreshAheadSec: options.refreshAheadSec ?? 60,
      refreshTokenLifespanSec: options.refreshTokenLifespanSec ?? 8_640_000,
      refreshTokenWarningDays: options.refreshTokenWarningDays ?? 14,
      lockTtlMs: options.lockTtlMs ?? 15_000,
      waitTimeoutMs: options.waitTimeoutMs ?? 20_000,
      pollIntervalMs: options.pollIntervalMs ?? 50,
      authorizationTtlSec: options.authorizationTtlSec ?? 600,
      tokenRequestTimeoutMs: options.tokenRequestTimeoutMs ?? 10_000,
    };
    this.expiryWarning = new RefreshTokenWarning(this.logger, this.o.refreshTokenWarningDays);
    this.flow = {
      store: this.store,
      instances: options.instances,
      ttlSec: this.o.authorizationTtlSec,
      refreshLifespanMs: this.o.refreshTokenLifespanSec * 1000,
      timeoutMs: this.o.tokenRequestTimeoutMs,
    };
  }

  /** A valid access token, refreshed first when it expires within `refreshAheadSec`. */
  async getAccessToken(instance: Instance): Promise<string> {
    if (instance.auth.type === 'basic') throw new AppError('unsupported_auth_type', `Instance ${instance.id} uses basic authentication`, 400);
    const record = await this.store.read(instance.id);
    this.failFast(instance, record);
    if (this.usable(record)) {
      this.expiryWarning.check(instance.id, record.tokens?.refreshTokenExpiresAt);
      return record.tokens!.accessToken;
    }
    let pending = this.inflight.get(instance.id);
    if (!pending) {
      pending = this.refreshShared(instance).finally(() => this.inflight.delete(instance.id));
      this.inflight.set(instance.id, pending);
    }
    return pending;
  }

  /** `Basic …` for basic instances, `Bearer <access token>` otherwise. */
  async authorizationHeader(instance: Instance): Promise<string> {
    if (instance.auth.type === 'basic') {
      return `Basic ${Buffer.from(`${instance.auth.username ?? ''}:${instance.auth.password ?? ''}`).toString('base64')}`;
    }
    return `Bearer ${await this.getAccessToken(instance)}`;
  }

  /** After a 401: marks that access token stale (if still current) so the next call refreshes. */
  async invalidate(instance: Instance, rejectedHeader: string): Promise<boolean> {
    if (instance.auth.type === 'basic' || !rejectedHeader.startsWith('Bearer ')) return false;
    await this.store.markStale(instance.id, fingerprint(rejectedHeader.slice(7)));
    return true;
  }

  /** The visible token state (no secrets). A basic instance is always `ok`. */
  async getState(instance: Instance | string): Promise<AuthState> {
    if (typeof instance !== 'string' && instance.auth.type === 'basic') return { status: 'ok' };
    const record = await this.store.read(typeof instance === 'string' ? instance : instance.id);
    if (typeof instance !== 'string' && instance.auth.type === 'oauth2_client_credentials' && record.state.status === 'not_authorized') {
      return { status: 'ok' };
    }
    return record.state;
  }

  /** When the refresh token expires (computed), for metrics; undefined when there is none. */
  async refreshTokenExpiresAt(instanceId: string): Promise<Date | undefined> {
    const at = (await this.store.read(instanceId)).state.refreshTokenExpiresAt;
    return at ? new Date(at) : undefined;
  }

  /** Starts the authorization-code flow (state + PKCE S256); returns the `oauth_auth.do` URL. */
  beginAuthorization(instance: Instance, redirectUri: string): Promise<string> {
    return beginAuthorization(this.flow, instance, redirectUri);
  }

  /** Completes the flow from the callback's `state` and `code`; stores the tokens and returns the instance id. */
  async completeAuthorization(state: string, code: string): Promise<string> {
    const { instance, tokens } = await completeAuthorization(this.flow, state, code);
    this.expiryWarning.forget(instance.id);
    this.logger.info('ServiceNow instance authorized', { instanceId: instance.id, refreshTokenExpiresAt: new Date(tokens.refreshTokenExpiresAt ?? 0).toISOString() });
    return instance.id;
  }

  /**
   * Exchanges an authorization code obtained outside snowgate's flow (Cloud Elements' `providerData.code`)
   * for tokens, without storing them: the caller stores them with {@link adoptTokens} once the instance
   * exists, so a refused code leaves nothing behind. Throws AppError 400 `authorization_failed` / 502.
   */
  redeemProvidedCode(instance: Instance, code: string, redirectUri: string): Promise<StoredTokens> {
    return redeemCode(this.flow, instance, { code, redirectUri });
  }

  /** Stores tokens from {@link redeemProvidedCode} as the instance's own. */
  async adoptTokens(instanceId: string, tokens: StoredTokens): Promise<void> {
    await this.store.save(instanceId, tokens);
    this.expiryWarning.forget(instanceId);
    this.logger.info('ServiceNow instance authorized with a provided code', { instanceId });
  }

  /** Forgets an instance's tokens and state (instance deleted, or credentials replaced). */
  reset(instanceId: string): Promise<void> {
    this.expiryWarning.forget(instanceId);
    return this.store.clear(instanceId);
  }

  private usable(record: TokenRecord): boolean {
    if (!record.tokens || record.stale) return false;
    const ahead = record.tokens.sameTokenReturned ? 0 : this.o.refreshAheadSec * 1000;
    return record.tokens.accessTokenExpiresAt - ahead > Date.now();
  }

  /** Throws at once, with no token request, when only an operator can fix the instance. */
  private failFast(instance: Instance, record: TokenRecord): void {
    if (record.state.status === 'reauthorization_required') {
      // A client-credentials instance whose secret an operator has since changed deserves a new try.
      const credentialsChanged = instance.auth.type === 'oauth2_client_credentials' && record.rejectedCredentials !== credentialsFingerprint(instance);
      if (!credentialsChanged) throw reauthorizationRequired(instance.id, record.state.reason ?? 'refresh token rejected');
      return;
    }
    if (instance.auth.type === 'oauth2' && !record.tokens) throw notAuthorized(instance.id);
  }

  /** One refresh across processes: whoever takes the lock asks ServiceNow, the others wait for the stored result. */
  private async refreshShared(instance: Instance): Promise<string> {
    const owner = crypto.randomUUID();
    const startedAt = Date.now();
    for (;;) {
      if (await this.store.acquireLock(instance.id, owner, this.o.lockTtlMs)) {
        try {
          const record = await this.store.read(instance.id);
          this.failFast(instance, record);
          if (this.usable(record)) return record.tokens!.accessToken;
          return await this.requestTokens(instance, record);
        } finally {
          await this.store.releaseLock(instance.id, owner);
        }
      }
      await sleep(this.o.pollIntervalMs);
      const record = await this.store.read(instance.id);
      this.failFast(instance, record);
      if (this.usable(record)) return record.tokens!.accessToken;
      if (record.state.status === 'error' && (record.lastFailureAt ?? 0) >= startedAt) {
        throw tokenRefreshFailed(instance.id, record.state.reason ?? 'token request failed');
      }
      if (Date.now() - startedAt > this.o.waitTimeoutMs) throw tokenRefreshFailed(instance.id, 'timed out waiting for another process to refresh');
    }
  }

  /** The one token request (refresh_token or client_credentials), with its outcome recorded. */
  private async requestTokens(instance: Instance, record: TokenRecord): Promise<string> {
    const previous = record.tokens;
    const grant = instance.auth.type === 'oauth2' ? 'refresh_token' : 'client_credentials';
    let response: TokenResponse;
    try {
      if (grant === 'refresh_token') {
        if (!previous?.refreshToken) return await this.markDead(instance, 'no refresh token stored');
        response = await refreshTokens(instance, previous.refreshToken, this.o.tokenRequestTimeoutMs);
      } else {
        response = await clientCredentials(instance, this.o.tokenRequestTimeoutMs);
      }
    } catch (err) {
      // refused by the SSRF guard, nothing sent: recorded so that other processes waiting for this refresh stop waiting
      if (isSsrfRefusal(err)) await this.store.recordFailure(instance.id, 'error', 'the instance URL is not a public address');
      if (!(err instanceof TokenEndpointError)) throw err;
      if (err.kind === 'rejected') {
        return this.markDead(instance, grant === 'refresh_token' ? `refresh token rejected (${err.status})` : `client credentials rejected (${err.status})`);
      }
      await this.store.recordFailure(instance.id, 'error', err.message);
      this.logger.warn('ServiceNow token request failed', { instanceId: instance.id, grant, reason: err.message });
      if (err.kind === 'unexpected') {
        throw new AppError('servicenow_hibernating', `oauth_token.do of ${instance.instanceUrl} answered HTML, not a token: the instance is probably hibernating`, 503, { retryable: true, cause: err });
      }
      throw tokenRefreshFailed(instance.id, err.message, err);
    }
    const tokens = toStoredTokens(response, grant, previous, this.o.refreshTokenLifespanSec * 1000);
    await this.store.save(instance.id, tokens);
    this.logger.debug('ServiceNow access token obtained', { instanceId: instance.id, grant, expiresAt: new Date(tokens.accessTokenExpiresAt).toISOString() });
    this.expiryWarning.check(instance.id, tokens.refreshTokenExpiresAt);
    return tokens.accessToken;
  }

  /** Records "reauthorization required" (logged once across processes) and throws. */
  private async markDead(instance: Instance, reason: string): Promise<never> {
    const credFp = instance.auth.type === 'oauth2_client_credentials' ? credentialsFingerprint(instance) : undefined;
    const previous = await this.store.recordFailure(instance.id, 'reauthorization_required', reason, credFp);
    if (previous !== 'reauthorization_required') {
      this.logger.warn('ServiceNow instance needs reauthorization', { instanceId: instance.id, reason, fix: `GET /instances/${instance.id}/oauth/authorize` });
    }
    throw reauthorizationRequired(instance.id, reason);
  }
}

/** Fingerprint of an instance's client id + secret, to notice when an operator changed them. */
function credentialsFingerprint(instance: Instance): string {
  return fingerprint(`${instance.auth.clientId ?? ''}\u0000${instance.auth.clientSecret ?? ''}`);
}
