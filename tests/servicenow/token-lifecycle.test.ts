import type { Logger } from '../../src/lib/logger';
import { ServiceNowClient } from '../../src/servicenow/servicenow-client';
import { TokenStore } from '../../src/servicenow/token-store';
import { startSimulator } from '../../src/simulator';
import { SHARED_REDIS_URL } from '../helpers/redis-server';
import { Redis } from 'ioredis';
import { authorize, simInstance, TEST_KEY, testRedis, tokenManager, tokenRequests, until } from './servicenow-fixtures';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

/** A logger that records warnings (and drops the rest). */
function recordingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const noop = () => undefined;
  const logger = { warn: (m: string) => warnings.push(m), info: noop, debug: noop, error: noop } as unknown as Logger;
  return { logger, warnings };
}

describe('OAuth token lifecycle against the simulator', () => {
  let sim: Sim;
  const r = testRedis('tokens');

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, knobs: { accessTokenLifespanSec: 3, clientCredentialsEnabled: true } });
  });
  afterAll(async () => {
    await sim.close();
    await r.cleanup();
  });
  beforeEach(() => {
    sim.knobs.accessTokenLifespanSec = 3;
    sim.stats.reset();
  });

  /** Waits until the stored access token is past its expiry, and makes sure the simulator agrees. */
  async function letAccessTokenExpire(tokens: ReturnType<typeof tokenManager>, instanceId: string): Promise<void> {
    const expiresAt = Date.parse((await tokens.getState(instanceId)).accessTokenExpiresAt ?? '');
    await until(() => Date.now() > expiresAt + 20);
    sim.expireAccessTokens();
  }

  it('when 20 calls need a token at expiry, then exactly one token request is made and all succeed', async () => {
    const instance = simInstance(sim.url, 'oauth2');
    const tokens = tokenManager(r.redis, r.prefix, [instance], { refreshAheadSec: 0 });
    await authorize(tokens, instance);
    const before = await tokens.getAccessToken(instance);
    await letAccessTokenExpire(tokens, instance.id);
    sim.stats.reset();

    const client = new ServiceNowClient(instance, tokens);
    const cases = await Promise.all(Array.from({ length: 20 }, () => client.getCase('CS0001001')));

    expect(tokenRequests(sim.stats)).toBe(1);
    expect(tokenRequests(sim.stats, 'refresh_token')).toBe(1);
    expect(cases.every((c) => c.number === 'CS0001001')).toBe(true);
    expect(await tokens.getAccessToken(instance)).not.toBe(before);
  });

  it('when two processes (separate Redis connections) hit expiry together, then still one token request', async () => {
    const instance = simInstance(sim.url, 'oauth2');
    const otherRedis = new Redis(SHARED_REDIS_URL);
    try {
      const processA = tokenManager(r.redis, r.prefix, [instance], { refreshAheadSec: 0 });
      const processB = tokenManager(otherRedis, r.prefix, [instance], { refreshAheadSec: 0 });
      await authorize(processA, instance);
      await letAccessTokenExpire(processA, instance.id);
      sim.stats.reset();

      const clientA = new ServiceNowClient(instance, processA);
      const clientB = new ServiceNowClient(instance, processB);
      const calls = Array.from({ length: 20 }, (_, i) => (i % 2 ? clientA : clientB).getCase('CS0001002'));
      const cases = await Promise.all(calls);

      expect(tokenRequests(sim.stats)).toBe(1);
      expect(cases.every((c) => c.number === 'CS0001002')).toBe(true);
    } finally {
      otherRedis.disconnect();
    }
  });

  it('when the refresh token is revoked, then the instance needs reauthorization, it is logged once, and later calls cause no token request', async () => {
    const instance = simInstance(sim.url, 'oauth2');
    const { logger, warnings } = recordingLogger();
    const tokens = tokenManager(r.redis, r.prefix, [instance], { refreshAheadSec: 0, logger });
    await authorize(tokens, instance);
    sim.revokeAllTokens();
    sim.stats.reset();
    const client = new ServiceNowClient(instance, tokens);

    await expect(client.getCase('CS0001001')).rejects.toMatchObject({ code: 'reauthorization_required' });
    expect(tokenRequests(sim.stats)).toBe(1);
    expect(await tokens.getState(instance.id)).toMatchObject({ status: 'reauthorization_required' });

    const apiBefore = sim.stats.apiRequests.case;
    const later = await Promise.allSettled(Array.from({ length: 25 }, () => client.getCase('CS0001001')));
    expect(later.every((o) => o.status === 'rejected' && (o.reason as { code: string }).code === 'reauthorization_required')).toBe(true);
    expect(tokenRequests(sim.stats)).toBe(1);
    expect(sim.stats.apiRequests.case).toBe(apiBefore);
    expect(warnings.filter((w) => /needs reauthorization/.test(w))).toHaveLength(1);

    await authorize(tokens, instance);
    expect(await tokens.getState(instance.id)).toMatchObject({ status: 'ok' });
    await expect(client.getCase('CS0001001')).resolves.toMatchObject({ number: 'CS0001001' });
  });

  it('when an instance was never authorized, then calls fail with not_authorized and ask ServiceNow nothing', async () => {
    const instance = simInstance(sim.url, 'oauth2');
    const tokens = tokenManager(r.redis, r.prefix, [instance]);
    await expect(tokens.getAccessToken(instance)).rejects.toMatchObject({ code: 'not_authorized' });
    expect(await tokens.getState(instance.id)).toMatchObject({ status: 'not_authorized' });
    expect(tokenRequests(sim.stats)).toBe(0);
  });

  it('keeps tokens encrypted in Redis: the raw value holds neither the access nor the refresh token', async () => {
    const instance = simInstance(sim.url, 'oauth2');
    const tokens = tokenManager(r.redis, r.prefix, [instance]);
    await authorize(tokens, instance);
    const stored = (await new TokenStore(r.redis, TEST_KEY, r.prefix).read(instance.id)).tokens!;
    const raw = JSON.stringify(await r.redis.hgetall(`${r.prefix}:${instance.id}`));
    expect(stored.accessToken.length).toBeGreaterThan(10);
    expect(stored.refreshToken?.length).toBeGreaterThan(10);
    expect(raw).not.toContain(stored.accessToken);
    expect(raw).not.toContain(stored.refreshToken);
    expect(await tokens.getAccessToken(instance)).toBe(stored.accessToken);
  });

  it('tracks the refresh token expiry (issue time + configured lifespan) and warns once when it is near', async () => {
    const instance = simInstance(sim.url, 'oauth2');
    const { logger, warnings } = recordingLogger();
    const lifespanSec = 3 * 86_400;
    const tokens = tokenManager(r.redis, r.prefix, [instance], { refreshTokenLifespanSec: lifespanSec, refreshTokenWarningDays: 7, logger });
    const issuedFrom = Date.now();
    await authorize(tokens, instance);
    const issuedTo = Date.now();

    const expiresAt = (await tokens.refreshTokenExpiresAt(instance.id))!.getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(issuedFrom + lifespanSec * 1000);
    expect(expiresAt).toBeLessThanOrEqual(issuedTo + lifespanSec * 1000);
    await tokens.getAccessToken(instance);
    await tokens.getAccessToken(instance);
    expect(warnings.filter((w) => /refresh token expires soon/.test(w))).toHaveLength(1);
  });

  it('gets client_credentials tokens, and a rejected secret is recorded without a request storm', async () => {
    const good = simInstance(sim.url, 'oauth2_client_credentials');
    const bad = simInstance(sim.url, 'oauth2_client_credentials', { clientSecret: 'wrong-secret' });
    const tokens = tokenManager(r.redis, r.prefix, [good, bad]);

    await expect(new ServiceNowClient(good, tokens).getCase('CS0001003')).resolves.toMatchObject({ number: 'CS0001003' });
    expect(tokenRequests(sim.stats, 'client_credentials')).toBe(1);
    expect(await tokens.getState(good)).toMatchObject({ status: 'ok' });

    sim.stats.reset();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => tokens.getAccessToken(bad)));
    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as { code: string }).code === 'reauthorization_required')).toBe(true);
    await expect(tokens.getAccessToken(bad)).rejects.toMatchObject({ code: 'reauthorization_required' });
    expect(tokenRequests(sim.stats)).toBe(1);
    expect(await tokens.getState(bad.id)).toMatchObject({ status: 'reauthorization_required' });
  });

  it('refreshes ahead of expiry without waiting for a 401', async () => {
    const instance = simInstance(sim.url, 'oauth2');
    sim.knobs.accessTokenLifespanSec = 2;
    const tokens = tokenManager(r.redis, r.prefix, [instance], { refreshAheadSec: 60 });
    await authorize(tokens, instance);
    sim.stats.reset();
    await new ServiceNowClient(instance, tokens).getCase('CS0001004');
    expect(tokenRequests(sim.stats, 'refresh_token')).toBe(1);
    expect(sim.stats.faults.force401 ?? 0).toBe(0);
  });
});
