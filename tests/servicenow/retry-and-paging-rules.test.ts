import { parseLinkHeader } from '../../src/servicenow/link-header';
import { nextPage } from '../../src/servicenow/paginate';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from '../../src/servicenow/retry-policy';
import { parseServiceNowError } from '../../src/servicenow/servicenow-error';
import { toStoredTokens } from '../../src/servicenow/token-set';

describe('Retry-After and backoff rules', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('uses full jitter under an exponential ceiling', () => {
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThan(250);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0.999)).toBe(999);
    expect(backoffDelay(30, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThan(10_000);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });

  it('gives up in-process when Retry-After is longer than the policy allows', () => {
    expect(retryDelay('120', 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelay('2', 1, DEFAULT_RETRY_POLICY)).toBe(2000);
  });
});

describe('ServiceNow error bodies', () => {
  it('parses message and a null detail from the ServiceNow envelope', () => {
    const err = parseServiceNowError(403, '{"error":{"message":"Insufficient rights to query records","detail":null},"status":"failure"}');
    expect(err).toMatchObject({ status: 403, serviceNowMessage: 'Insufficient rights to query records', detail: null, code: 'servicenow_forbidden', retryable: false });
  });

  it('summarizes an HTML error page instead of quoting it', () => {
    expect(parseServiceNowError(502, '<html><body>Bad gateway</body></html>')).toMatchObject({ serviceNowMessage: 'an HTML page', retryable: true });
  });
});

describe('paging decisions', () => {
  const link = (offset: number) => `https://x.service-now.com/api/now/table/t?sysparm_query=a%3Db&sysparm_offset=${offset}&sysparm_limit=10`;

  it('parses the Link header ServiceNow sends (comma-joined, no spaces)', () => {
    const header = `<${link(0)}>;rel="first",<${link(20)}>;rel="next",<${link(40)}>;rel="last"`;
    expect(parseLinkHeader(header)).toEqual({ first: link(0), next: link(20), last: link(40) });
  });

  it('follows rel="next" even when the page came back short (limit applied before ACLs)', () => {
    expect(nextPage({ rows: [1, 2], linked: true, nextUrl: link(20), offset: 10, limit: 10, total: 100 })).toEqual({ url: link(20) });
  });

  it('stops when a Link header has no next', () => {
    expect(nextPage({ rows: [1], linked: true, offset: 90, limit: 10, total: 100 })).toBeUndefined();
  });

  it('without a Link header, advances by the limit while X-Total-Count says more rows exist', () => {
    expect(nextPage({ rows: [1, 2, 3], linked: false, offset: 0, limit: 10, total: 25 })).toEqual({ offset: 10 });
    expect(nextPage({ rows: [1], linked: false, offset: 20, limit: 10, total: 25 })).toBeUndefined();
  });

  it('with neither header, goes on until an empty page', () => {
    expect(nextPage({ rows: [1], linked: false, offset: 0, limit: 10 })).toEqual({ offset: 10 });
    expect(nextPage({ rows: [], linked: false, offset: 10, limit: 10 })).toBeUndefined();
  });

  it('refuses a next link that does not move forward', () => {
    expect(nextPage({ rows: [1], linked: true, nextUrl: link(10), offset: 10, limit: 10 })).toBeUndefined();
  });
});

describe('stored token sets', () => {
  const day = 86_400_000;
  const previous = { accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', accessTokenExpiresAt: 0, refreshTokenExpiresAt: 5 * day, obtainedAt: 0, grant: 'authorization_code' as const };

  it('keeps the old refresh token and its expiry when a refresh answer leaves refresh_token out', () => {
    const t = toStoredTokens({ access_token: 'a2', expires_at: new Date(2 * day) }, 'refresh_token', previous, 100 * day, day);
    expect(t).toMatchObject({ accessToken: 'a2', refreshToken: 'r1', refreshTokenExpiresAt: 5 * day, accessTokenExpiresAt: 2 * day });
  });

  it('starts a new refresh-token lifespan when ServiceNow issues a different refresh token', () => {
    const t = toStoredTokens({ access_token: 'a2', refresh_token: 'r2' }, 'refresh_token', previous, 100 * day, day);
    expect(t).toMatchObject({ refreshToken: 'r2', refreshTokenExpiresAt: 101 * day });
  });

  it('notes when an early refresh brought back the same access token', () => {
    expect(toStoredTokens({ access_token: 'a1' }, 'refresh_token', previous, 100 * day, day).sameTokenReturned).toBe(true);
  });

  it('keeps no refresh token for client credentials', () => {
    expect(toStoredTokens({ access_token: 'x', refresh_token: 'y' }, 'client_credentials', undefined, 100 * day)).not.toHaveProperty('refreshToken', 'y');
  });
});
