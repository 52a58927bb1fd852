import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import type { Instance } from '../../src/instances/instance';
import { parseInstance } from '../../src/instances/parse-instance';
import { TokenManager, type TokenManagerOptions } from '../../src/servicenow/token-manager';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';

/** A Redis connection to the shared test Redis plus a key prefix unique to one test file. */
export function testRedis(label: string): { redis: Redis; prefix: string; cleanup: () => Promise<void> } {
  const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `${uniquePrefix(label)}:tokens`;
  return {
    redis,
    prefix,
    cleanup: async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

export const TEST_KEY = crypto.randomBytes(32);

/** An instance pointing at the simulator (private targets allowed: it listens on loopback), with sandbox credentials unless overridden. */
export function simInstance(
  url: string,
  type: Instance['auth']['type'],
  overrides: { id?: string; clientSecret?: string; password?: string; callbackUrl?: string; allowPrivateTargets?: boolean } = {},
): Instance {
  const configuration: Record<string, unknown> = {
    'servicenow.instance_url': url,
    'servicenow.allow_private_targets': overrides.allowPrivateTargets ?? true,
    'authentication.type': type,
    'webhook.secret': `whsec_${crypto.randomBytes(24).toString('base64')}`,
  };
  if (type === 'basic') Object.assign(configuration, { username: 'admin', password: overrides.password ?? 'admin' });
  else Object.assign(configuration, { 'oauth.api.key': 'sandbox-client', 'oauth.api.secret': overrides.clientSecret ?? 'sandbox-secret' });
  if (overrides.callbackUrl) configuration['oauth.callback.url'] = overrides.callbackUrl;
  return parseInstance({ id: overrides.id ?? `sn-${type.replace(/_/g, '-')}-${crypto.randomBytes(3).toString('hex')}`, name: 'test', configuration });
}

/** A TokenManager on its own Redis connection (a stand-in for one process). */
export function tokenManager(
  redis: Redis,
  prefix: string,
  instances: Instance[] | { get(id: string): Instance | undefined },
  extra: Partial<TokenManagerOptions> = {},
): TokenManager {
  const lookup = Array.isArray(instances) ? new Map(instances.map((i) => [i.id, i])) : instances;
  return new TokenManager({ redis, encryptionKey: TEST_KEY, keyPrefix: prefix, instances: lookup, pollIntervalMs: 20, ...extra });
}

/**
 * Runs the authorization-code flow without a browser: asks for the authorize URL, lets the
 * simulator's oauth_auth.do auto-approve (302 with code and state), and completes it.
 */
export async function authorize(tokens: TokenManager, instance: Instance, redirectUri = 'http://127.0.0.1:9/oauth/callback'): Promise<void> {
  const url = await tokens.beginAuthorization(instance, redirectUri);
  const res = await fetch(url, { redirect: 'manual' });
  const location = new URL(res.headers.get('location') ?? '');
  await tokens.completeAuthorization(location.searchParams.get('state') ?? '', location.searchParams.get('code') ?? '');
}

/** Total token requests the simulator has seen (all grants). */
export function tokenRequests(stats: { tokenRequests: Record<string, number> }, grant?: string): number {
  if (grant) return stats.tokenRequests[grant] ?? 0;
  if (typeof stats.tokenRequests.total === 'number') return stats.tokenRequests.total;
  return Object.values(stats.tokenRequests).reduce((a, b) => a + b, 0);
}

/** Waits (by polling a condition, not by a fixed sleep) until `check` is true. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
