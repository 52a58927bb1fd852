import crypto from 'node:crypto';
import { decrypt, encrypt } from '../lib/encryption';
import type { RedisClient } from '../lib/redis-connections';
import type { AuthState, AuthStatus, StoredTokens } from './token-types';

/** One instance's record as read from Redis: the decrypted tokens (if any) plus the plain state fields. */
export interface TokenRecord {
  tokens?: StoredTokens;
  /** Set by `markStale` when ServiceNow rejected this access token before its expiry. */
  stale: boolean;
  state: AuthState;
  /** Fingerprint of the client credentials that were rejected, when status came from such a rejection. */
  rejectedCredentials?: string;
  /** Epoch ms of the last failed token request. */
  lastFailureAt?: number;
}

/** A non-reversible fingerprint of a secret, to compare without storing it. */
export function fingerprint(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex').slice(0, 32);
}

const MARK_STALE = `if redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then redis.call('HSET', KEYS[1], 'stale', '1') return 1 end return 0`;
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const iso = (ms: string | undefined): string | undefined => (ms ? new Date(Number(ms)).toISOString() : undefined);

/**
 * Tokens and token state in Redis, one hash per instance at `{keyPrefix}:{instanceId}`. The tokens
 * are one AES-256-GCM blob; the state fields beside it hold no secret (expiry times, status, a
 * SHA-256 fingerprint of the access token so a 401 can be matched to the token it rejected).
 */
export class TokenStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly encryptionKey: Buffer,
    /** e.g. `snowgate:tokens`. */
    private readonly keyPrefix: string,
  ) {}

  key(instanceId: string): string {
    return `${this.keyPrefix}:${instanceId}`;
  }

  async read(instanceId: string): Promise<TokenRecord> {
    const h = await this.redis.hgetall(this.key(instanceId));
    const tokens = h.blob ? this.openBlob(h.blob) : undefined;
    const unreadable = Boolean(h.blob) && !tokens;
    const status = unreadable ? 'not_authorized' : (h.status as AuthStatus | undefined) ?? (tokens ? 'ok' : 'not_authorized');
    const state: AuthState = { status };
    if (unreadable) state.reason = 'stored tokens cannot be decrypted (SNOWGATE_ENCRYPTION_KEY changed?): authorize again';
    else if (h.reason) state.reason = h.reason;
    if (h.rtExp) state.refreshTokenExpiresAt = iso(h.rtExp);
    if (h.atExp) state.accessTokenExpiresAt = iso(h.atExp);
    if (h.lastRefreshAt) state.lastRefreshAt = iso(h.lastRefreshAt);
    return {
      tokens,
      stale: h.stale === '1',
      state,
      rejectedCredentials: h.credFp || undefined,
      lastFailureAt: h.lastFailureAt ? Number(h.lastFailureAt) : undefined,
    };
  }

  /** Stores a fresh token set and marks the instance `ok`. */
  async save(instanceId: string, tokens: StoredTokens): Promise<void> {
    const key = this.key(instanceId);
    const fields: Record<string, string> = {
      blob: encrypt(this.encryptionKey, JSON.stringify(tokens)),
      fp: fingerprint(tokens.accessToken),
      stale: '0',
      status: 'ok',
      atExp: String(tokens.accessTokenExpiresAt),
      lastRefreshAt: String(tokens.obtainedAt),
    };
    if (tokens.refreshTokenExpiresAt) fields.rtExp = String(tokens.refreshTokenExpiresAt);
    await this.redis.multi().hdel(key, 'reason', 'credFp', 'rtExp').hset(key, fields).exec();
  }

  /** Marks the stored access token stale if it is still the one with this fingerprint. True if it was. */
  async markStale(instanceId: string, accessTokenFingerprint: string): Promise<boolean> {
    return (await this.redis.eval(MARK_STALE, 1, this.key(instanceId), accessTokenFingerprint)) === 1;
  }

  /**
   * Drops the tokens and records a failure status. Returns the status it replaced, so the caller
   * can log a transition once.
   */
  async recordFailure(instanceId: string, status: AuthStatus, reason: string, rejectedCredentials?: string): Promise<AuthStatus | undefined> {
    const key = this.key(instanceId);
    const tx = this.redis.multi().hget(key, 'status');
    if (status !== 'error') tx.hdel(key, 'blob', 'fp', 'stale', 'atExp');
    tx.hset(key, { status, reason, lastFailureAt: String(Date.now()), ...(rejectedCredentials ? { credFp: rejectedCredentials } : {}) });
    const results = await tx.exec();
    return (results?.[0]?.[1] as AuthStatus | null) ?? undefined;
  }

  /** Forgets everything about the instance (e.g. when it is deleted). */
  async clear(instanceId: string): Promise<void> {
    await this.redis.del(this.key(instanceId), this.lockKey(instanceId));
  }

  /** Tries to take the cross-process refresh lock (SET NX PX). True when this owner holds it. */
  async acquireLock(instanceId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.lockKey(instanceId), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Releases the lock only if this owner still holds it. */
  async releaseLock(instanceId: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE_LOCK, 1, this.lockKey(instanceId), owner);
  }

  /** Keeps a pending authorization (state → instance, PKCE verifier, redirect URI) for `ttlSec`. */
  async savePending(state: string, pending: PendingAuthorization, ttlSec: number): Promise<void> {
    await this.redis.set(this.pendingKey(state), encrypt(this.encryptionKey, JSON.stringify(pending)), 'EX', ttlSec);
  }

  /** Returns and deletes a pending authorization; undefined when unknown or expired. Usable once. */
  /** The stored tokens, or undefined when they cannot be decrypted with this key. */
  private openBlob(blob: string): StoredTokens | undefined {
    try {
      return JSON.parse(decrypt(this.encryptionKey, blob)) as StoredTokens;
    } catch {
      return undefined;
    }
  }

  async takePending(state: string): Promise<PendingAuthorization | undefined> {
    const raw = await this.redis.getdel(this.pendingKey(state));
    return raw ? (JSON.parse(decrypt(this.encryptionKey, raw)) as PendingAuthorization) : undefined;
  }

  private lockKey(instanceId: string): string {
    return `${this.keyPrefix}:${instanceId}:lock`;
  }

  private pendingKey(state: string): string {
    return `${this.keyPrefix}:authorize:${fingerprint(state)}`;
  }
}

/** What `beginAuthorization` remembers until the callback. */
export interface PendingAuthorization {
  instanceId: string;
  codeVerifier: string;
  redirectUri: string;
}
