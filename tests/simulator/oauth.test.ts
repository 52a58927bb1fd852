import { SANDBOX_CLIENT, s256Challenge, startSimulator, type Simulator } from '../../src/simulator';
import { OAUTH_FAILURE } from '../../src/simulator/oauth-routes';
import { api, PASSWORD_GRANT, tokenRequest } from './sim-client';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const VERIFIER = 'a'.repeat(20) + '-._~' + 'Z9'.repeat(12);

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.clock.useRealTime();
  sim.revokeAllTokens();
  sim.stats.reset();
  Object.assign(sim.knobs, { requireConsent: false, clientCredentialsEnabled: true, accessTokenLifespanSec: 1800, oauthApplicationUser: 'snowgate.integration' });
});

async function authorize(query: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/oauth_auth.do?${new URLSearchParams(query).toString()}`, { redirect: 'manual' });
}

async function codeFor(extra: Record<string, string> = {}): Promise<string> {
  const res = await authorize({ response_type: 'code', client_id: SANDBOX_CLIENT.clientId, redirect_uri: REDIRECT, state: 'st-1', ...extra });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('st-1');
  return location.searchParams.get('code')!;
}

const codeGrant = (code: string, extra: Record<string, string> = {}) => tokenRequest(sim.url, {
  grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, ...extra,
});

describe('oauth_auth.do', () => {
  it('when the admin is logged in, then it auto-approves with a 302 to redirect_uri carrying code and state', async () => {
    const code = await codeFor();
    expect(code).toMatch(/^[\w-]{20,}$/);
    expect(sim.stats.authorizeRequests).toBe(1);
  });

  it('when requireConsent is on, then it shows a consent form whose Allow posts back and redirects with a code', async () => {
    sim.knobs.requireConsent = true;
    const page = await authorize({ response_type: 'code', client_id: SANDBOX_CLIENT.clientId, redirect_uri: REDIRECT, state: 'st-2' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/oauth_auth.do">');
    const fields = Object.fromEntries([...html.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
    const allow = await fetch(`${sim.url}/oauth_auth.do`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, action: 'allow' }).toString(),
    });
    expect(allow.status).toBe(302);
    const location = new URL(allow.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('st-2');
    expect((await codeGrant(location.searchParams.get('code')!)).status).toBe(200);
  });

  it('when the client_id is unknown, then 400 and no redirect', async () => {
    const res = await authorize({ response_type: 'code', client_id: 'nope', redirect_uri: REDIRECT });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('oauth_token.do', () => {
  it('authorization_code: returns access and refresh tokens in ServiceNow shape, and a code works only once', async () => {
    const code = await codeFor();
    const first = await codeGrant(code);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(first.body).toMatchObject({ scope: 'useraccount', token_type: 'Bearer', expires_in: 1800 });
    expect(await codeGrant(code)).toEqual({ status: 401, body: OAUTH_FAILURE });
    expect(sim.stats.tokenRequests.authorization_code).toBe(2);
  });

  it('authorization_code with PKCE: the right verifier succeeds, a wrong one gets 401 access_denied', async () => {
    const good = await codeFor({ code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' });
    expect((await codeGrant(good, { code_verifier: VERIFIER })).status).toBe(200);
    const bad = await codeFor({ code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' });
    expect(await codeGrant(bad, { code_verifier: VERIFIER.replace('a', 'b') })).toEqual({ status: 401, body: OAUTH_FAILURE });
    const missing = await codeFor({ code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' });
    expect((await codeGrant(missing)).status).toBe(401);
  });

  it('when a private client sends a wrong secret, then 401 with the non-RFC failure body', async () => {
    const code = await codeFor();
    expect(await codeGrant(code, { client_secret: 'wrong' })).toEqual({ status: 401, body: OAUTH_FAILURE });
    expect(sim.stats.tokenFailures).toBe(1);
  });

  it('password grant: returns the same access and refresh token until the access token expires', async () => {
    const a = await tokenRequest(sim.url, PASSWORD_GRANT);
    const b = await tokenRequest(sim.url, PASSWORD_GRANT);
    expect(a.status).toBe(200);
    expect(b.body.access_token).toBe(a.body.access_token);
    expect(b.body.refresh_token).toBe(a.body.refresh_token);
    expect((await tokenRequest(sim.url, { ...PASSWORD_GRANT, password: 'nope' })).status).toBe(401);
  });

  it('when the access token expired, then API calls get 401 User Not Authenticated and a refresh yields a new access token with the same refresh token', async () => {
    sim.clock.set('2026-01-01 00:00:00');
    const granted = (await tokenRequest(sim.url, PASSWORD_GRANT)).body;
    const bearer = { authorization: `Bearer ${granted.access_token}` };
    expect((await api(sim.url, '/api/now/table/sys_user?sysparm_limit=1', { headers: bearer })).status).toBe(200);
    sim.clock.advance(1799_000);
    const again = await tokenRequest(sim.url, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, refresh_token: granted.refresh_token });
    expect(again.body.access_token).toBe(granted.access_token);
    expect(again.body.expires_in).toBe(1);
    sim.clock.advance(2_000);
    const denied = await api(sim.url, '/api/now/table/sys_user?sysparm_limit=1', { headers: bearer });
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' });
    const refreshed = await tokenRequest(sim.url, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, refresh_token: granted.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(granted.access_token);
    expect(refreshed.body.refresh_token).toBe(granted.refresh_token);
    expect(refreshed.body.expires_in).toBe(1800);
  });

  it('when the refresh token expired, then the refresh grant gets 401', async () => {
    sim.clock.set('2026-01-01 00:00:00');
    const granted = (await tokenRequest(sim.url, PASSWORD_GRANT)).body;
    sim.clock.advance(8_640_000_000 + 1000);
    const res = await tokenRequest(sim.url, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, refresh_token: granted.refresh_token });
    expect(res).toEqual({ status: 401, body: OAUTH_FAILURE });
  });

  it('client_credentials: no refresh_token; when disabled by the knob, then 401', async () => {
    const form = { grant_type: 'client_credentials', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret };
    const ok = await tokenRequest(sim.url, form);
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeUndefined();
    expect(ok.body.token_type).toBe('Bearer');
    sim.knobs.clientCredentialsEnabled = false;
    expect(await tokenRequest(sim.url, form)).toEqual({ status: 401, body: OAUTH_FAILURE });
    expect(sim.stats.tokenRequests.client_credentials).toBe(2);
  });

  it('client_credentials tokens act as the OAuth Application User; with none set, the grant fails with 401', async () => {
    const form = { grant_type: 'client_credentials', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret };
    const { body } = await tokenRequest(sim.url, form);
    const created = await api(sim.url, '/api/now/table/incident', { method: 'POST', body: {}, headers: { authorization: `Bearer ${body.access_token}` } });
    expect(created.body.result).toMatchObject({ sys_created_by: 'snowgate.integration', sys_updated_by: 'snowgate.integration' });
    expect(created.body.result.opened_by.value).toBe(sim.store.list('sys_user').find((u) => u.user_name === 'snowgate.integration')!.sys_id);
    sim.knobs.oauthApplicationUser = 'beth.anglin';
    const beth = (await tokenRequest(sim.url, form)).body;
    const patched = await api(sim.url, `/api/now/table/incident/${created.body.result.sys_id}`, { method: 'PATCH', body: { urgency: '1' }, headers: { authorization: `Bearer ${beth.access_token}` } });
    expect(patched.body.result.sys_updated_by).toBe('beth.anglin');
    sim.knobs.oauthApplicationUser = '';
    expect(await tokenRequest(sim.url, form)).toEqual({ status: 401, body: OAUTH_FAILURE });
  });

  it('when the body is JSON instead of a form, then 401 and no token', async () => {
    const res = await fetch(`${sim.url}/oauth_token.do`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(PASSWORD_GRANT) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(OAUTH_FAILURE);
  });

  it('client credentials may come as HTTP Basic instead of form fields', async () => {
    const res = await fetch(`${sim.url}/oauth_token.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from('sandbox-client:sandbox-secret').toString('base64') },
      body: 'grant_type=password&username=admin&password=admin',
    });
    expect(res.status).toBe(200);
  });
});

describe('token revocation', () => {
  it('when all tokens are revoked, then the access token gets 401 and the refresh token 401', async () => {
    const granted = (await tokenRequest(sim.url, PASSWORD_GRANT)).body;
    sim.revokeAllTokens();
    expect((await api(sim.url, '/api/now/table/sys_user', { headers: { authorization: `Bearer ${granted.access_token}` } })).status).toBe(401);
    const res = await tokenRequest(sim.url, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, refresh_token: granted.refresh_token });
    expect(res.status).toBe(401);
  });

  it('when access tokens are expired by the test, then the refresh token still works', async () => {
    const granted = (await tokenRequest(sim.url, PASSWORD_GRANT)).body;
    sim.expireAccessTokens();
    expect((await api(sim.url, '/api/now/table/sys_user', { headers: { authorization: `Bearer ${granted.access_token}` } })).status).toBe(401);
    const res = await tokenRequest(sim.url, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, refresh_token: granted.refresh_token });
    expect(res.status).toBe(200);
    expect(res.body.access_token).not.toBe(granted.access_token);
  });

  it('oauth_revoke_token.do with a refresh token kills it and its access token', async () => {
    const granted = (await tokenRequest(sim.url, PASSWORD_GRANT)).body;
    const res = await fetch(`${sim.url}/oauth_revoke_token.do?token=${encodeURIComponent(granted.refresh_token)}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await api(sim.url, '/api/now/table/sys_user', { headers: { authorization: `Bearer ${granted.access_token}` } })).status).toBe(401);
  });
});
