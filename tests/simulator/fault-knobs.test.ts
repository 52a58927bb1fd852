import { defaultKnobs, startSimulator, type Simulator } from '../../src/simulator';
import { RATE_LIMIT_RULE_ID } from '../../src/simulator/rate-limit';
import { api, PASSWORD_GRANT, tokenRequest } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ knobs: { latencyMs: 0 } });
});
afterAll(() => sim.close());
beforeEach(() => {
  Object.assign(sim.knobs, defaultKnobs());
  sim.clock.useRealTime();
  sim.stats.reset();
});

const CASES = '/api/now/table/sn_customerservice_case?sysparm_limit=1';

describe('fault knobs', () => {
  it('latencyMs delays but does not change the answer', async () => {
    sim.knobs.latencyMs = 20;
    expect((await api(sim.url, CASES)).status).toBe(200);
    expect(sim.stats.faults.latency).toBe(1);
  });

  it.each([500, 503])('errorRate=1 with status %i answers a ServiceNow JSON error', async (status) => {
    Object.assign(sim.knobs, { errorRate: 1, errorStatuses: [status] });
    const res = await api(sim.url, CASES);
    expect(res.status).toBe(status);
    expect(res.body.status).toBe('failure');
    expect(typeof res.body.error.message).toBe('string');
  });

  it('errorRate=1 with status 502 answers the HTML page of a gateway', async () => {
    Object.assign(sim.knobs, { errorRate: 1, errorStatuses: [502] });
    const res = await api(sim.url, CASES);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('when rateLimitStorm is set, then every API request gets 429 with its Retry-After and the rate-limit body', async () => {
    sim.knobs.rateLimitStorm = { retryAfterSec: 7 };
    const res = await api(sim.url, CASES);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body.error.message).toBe('Rate limit exceeded');
    expect((await tokenRequest(sim.url, PASSWORD_GRANT)).status).toBe(200);
  });

  it('when a rate-limit rule is set, then matched requests carry X-RateLimit-* and the request past the limit gets 429 + Retry-After', async () => {
    sim.clock.set('2026-05-05 10:59:30');
    sim.knobs.rateLimitPerHour = 2;
    const first = await api(sim.url, CASES);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 4, 5, 11) / 1000));
    expect(first.headers.get('x-ratelimit-rule')).toBe(RATE_LIMIT_RULE_ID);
    expect((await api(sim.url, CASES)).status).toBe(200);
    const third = await api(sim.url, CASES);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('30');
    expect(third.body).toEqual({ error: { message: 'Rate limit exceeded', detail: 'Rate limit of 2 requests per hour for Table API exceeded' }, status: 'failure' });
    sim.clock.advance(31_000);
    expect((await api(sim.url, CASES)).status).toBe(200);
  });

  it('with no rule, then no rate-limit headers at all', async () => {
    const res = await api(sim.url, CASES);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('when hibernating, then API and token requests answer 200 with the HTML hibernation page', async () => {
    sim.knobs.hibernating = true;
    const res = await api(sim.url, CASES);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('Hibernating');
    const token = await fetch(`${sim.url}/oauth_token.do`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
    expect(token.status).toBe(200);
    expect(token.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('when force401 is on, then valid credentials still get 401 User Not Authenticated', async () => {
    sim.knobs.force401 = true;
    const res = await api(sim.url, CASES);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('User Not Authenticated');
  });

  it('accessTokenLifespanSec sets expires_in of new tokens', async () => {
    sim.knobs.accessTokenLifespanSec = 60;
    sim.revokeAllTokens();
    expect((await tokenRequest(sim.url, PASSWORD_GRANT)).body.expires_in).toBe(60);
  });
});

describe('out-of-process control and counters', () => {
  it('POST /__sim/knobs changes knobs at run time and ignores unknown keys', async () => {
    const res = await fetch(`${sim.url}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ force401: true, bogus: 1 }) });
    expect(await res.json()).toMatchObject({ applied: ['force401'] });
    expect(sim.knobs.force401).toBe(true);
    expect((await api(sim.url, CASES)).status).toBe(401);
  });

  it('counts API requests by API and table, token requests by grant, and GET /__sim/stats shows them', async () => {
    await api(sim.url, CASES);
    await api(sim.url, '/api/now/v2/table/sys_user');
    await api(sim.url, '/api/now/attachment');
    await api(sim.url, '/api/sn_customerservice/case/CS0001001');
    await tokenRequest(sim.url, PASSWORD_GRANT);
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as any;
    expect(stats.apiRequests).toEqual({ table: 2, case: 1, attachment: 1 });
    expect(stats.tableRequests).toEqual({ sn_customerservice_case: 2, sys_user: 1, sys_attachment: 1 });
    expect(stats.tokenRequests).toEqual({ password: 1 });
    expect(stats.recentRequests.at(-1)).toMatchObject({ method: 'POST', api: 'oauth' });
    sim.stats.reset();
    expect(sim.stats.apiRequests.table).toBe(0);
  });
});
