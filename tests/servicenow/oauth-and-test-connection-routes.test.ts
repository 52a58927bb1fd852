import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createOAuthRoutes } from '../../src/http/oauth-routes';
import { createTestConnectionRoutes } from '../../src/http/test-connection-routes';
import { errorHandler } from '../../src/http/error-handler';
import { InstanceRegistry } from '../../src/instances/instance-registry';
import type { Instance } from '../../src/instances/instance';
import { silentLogger } from '../../src/lib/logger';
import type { TokenManager } from '../../src/servicenow/token-manager';
import { startSimulator } from '../../src/simulator';
import { authorize, simInstance, testRedis, tokenManager, tokenRequests } from './servicenow-fixtures';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const ADMIN = 'admin-token-for-tests-0123456789';

describe('OAuth and test-connection routes', () => {
  let sim: Sim;
  let server: http.Server;
  let gateway: string;
  let registry: InstanceRegistry;
  let tokens: TokenManager;
  const r = testRedis('routes');

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true } });
    registry = new InstanceRegistry();
    tokens = tokenManager(r.redis, r.prefix, registry);
    const app = express();
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app.use(createOAuthRoutes({ registry, tokens, adminToken: ADMIN, publicUrl: gateway }));
    app.use(createTestConnectionRoutes({ registry, tokens, adminToken: ADMIN, timeoutMs: 3000, publicUrl: gateway }));
    app.use(errorHandler(silentLogger));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await sim.close();
    await r.cleanup();
  });
  beforeEach(() => {
    sim.knobs.hibernating = false;
    sim.stats.reset();
  });

  function add(instance: Instance): Instance {
    registry.set(instance);
    return instance;
  }

  const testConnection = async (id: string, token = ADMIN) =>
    fetch(`${gateway}/instances/${id}/test-connection`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });

  describe('authorization-code round trip', () => {
    it('redirects to ServiceNow with state and PKCE, and the callback stores tokens that then work', async () => {
      const instance = add(simInstance(sim.url, 'oauth2'));

      const start = await fetch(`${gateway}/instances/${instance.id}/oauth/authorize?token=${ADMIN}`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const toServiceNow = new URL(start.headers.get('location')!);
      expect(`${toServiceNow.origin}${toServiceNow.pathname}`).toBe(`${sim.url}/oauth_auth.do`);
      expect(Object.fromEntries(toServiceNow.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: 'sandbox-client',
        redirect_uri: `${gateway}/oauth/callback`,
        code_challenge_method: 'S256',
      });
      expect(toServiceNow.searchParams.get('state')).toBeTruthy();
      expect(toServiceNow.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const approved = await fetch(toServiceNow, { redirect: 'manual' });
      expect(approved.status).toBe(302);
      const callback = approved.headers.get('location')!;
      expect(callback.startsWith(`${gateway}/oauth/callback?`)).toBe(true);

      const done = await fetch(callback, { headers: { Accept: 'application/json' } });
      expect(done.status).toBe(200);
      expect(await done.json()).toEqual({ status: 'connected', instanceId: instance.id });
      expect(tokenRequests(sim.stats, 'authorization_code')).toBe(1);
      expect(await tokens.getState(instance.id)).toMatchObject({ status: 'ok' });

      const replay = await fetch(callback, { headers: { Accept: 'application/json' } });
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ error: { code: 'invalid_state' } });

      const test = await testConnection(instance.id);
      expect(await test.json()).toMatchObject({ ok: true, authType: 'oauth2', instanceUrl: sim.url });
    });

    it('answers a browser with a small HTML "connected" page', async () => {
      const instance = add(simInstance(sim.url, 'oauth2'));
      const start = await fetch(`${gateway}/instances/${instance.id}/oauth/authorize`, { redirect: 'manual', headers: { Authorization: `Bearer ${ADMIN}` } });
      const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
      const page = await fetch(approved.headers.get('location')!, { headers: { Accept: 'text/html' } });
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain(instance.id);
    });

    it('when the operator denies consent, then a browser gets a page saying so and how to retry, an API client the JSON error, and nothing is stored', async () => {
      const instance = add(simInstance(sim.url, 'oauth2'));
      sim.knobs.requireConsent = true;
      try {
        const start = await fetch(`${gateway}/instances/${instance.id}/oauth/authorize?token=${ADMIN}`, { redirect: 'manual' });
        const form = new URLSearchParams({ ...Object.fromEntries(new URL(start.headers.get('location')!).searchParams), action: 'deny' });
        const denied = await fetch(`${sim.url}/oauth_auth.do`, { method: 'POST', body: form, redirect: 'manual' });
        const callback = denied.headers.get('location')!;
        expect(new URL(callback).searchParams.get('error')).toBe('access_denied');

        const page = await fetch(callback, { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
        expect(page.status).toBe(400);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        const html = await page.text();
        expect(html).toContain('<h1>Not authorized</h1>');
        expect(html).toContain('The consent was denied.');
        expect(html).toContain(`${gateway}/instances/&lt;instance id&gt;/oauth/authorize?token=&lt;admin token&gt;`);
        const api = await fetch(callback, { headers: { Accept: 'application/json' } });
        expect(await api.json()).toEqual({ error: { code: 'authorization_denied', message: 'ServiceNow did not authorize the gateway: access_denied' } });
        expect(tokenRequests(sim.stats)).toBe(0);
        expect(await tokens.getState(instance.id)).toMatchObject({ status: 'not_authorized' });
      } finally {
        sim.knobs.requireConsent = false;
      }
    });

    it('escapes what the denial carries on the page', async () => {
      const page = await fetch(`${gateway}/oauth/callback?error=${encodeURIComponent('<script>x</script>')}&error_description=${encodeURIComponent('"><img>')}`, { headers: { Accept: 'text/html' } });
      const html = await page.text();
      expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img>');
    });

    it('uses the instance callback URL when it has one', async () => {
      const instance = add(simInstance(sim.url, 'oauth2', { callbackUrl: 'https://gw.example.com/oauth/callback' }));
      const res = await fetch(`${gateway}/instances/${instance.id}/oauth/authorize?redirect=false`, { headers: { Authorization: `Bearer ${ADMIN}` } });
      const body = (await res.json()) as { authorizeUrl: string };
      expect(new URL(body.authorizeUrl).searchParams.get('redirect_uri')).toBe('https://gw.example.com/oauth/callback');
    });

    it('refuses the authorize route without the admin token, and an unknown instance with 404', async () => {
      const instance = add(simInstance(sim.url, 'oauth2'));
      const noToken = await fetch(`${gateway}/instances/${instance.id}/oauth/authorize?token=wrong`, { redirect: 'manual' });
      expect(noToken.status).toBe(401);
      const unknown = await fetch(`${gateway}/instances/nope/oauth/authorize?token=${ADMIN}`, { redirect: 'manual' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_instance' } });
      expect(sim.stats.authorizeRequests).toBe(0);
    });

    it('refuses a callback with an unknown state, asking ServiceNow nothing', async () => {
      const res = await fetch(`${gateway}/oauth/callback?code=abc&state=forged`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_state' } });
      expect(tokenRequests(sim.stats)).toBe(0);
    });
  });

  describe('test connection', () => {
    it('is ok for good basic and client-credentials credentials', async () => {
      for (const type of ['basic', 'oauth2_client_credentials'] as const) {
        const res = await testConnection(add(simInstance(sim.url, type)).id);
        expect(res.status).toBe(200);
        const body = (await res.json()) as { ok: boolean; latencyMs: number };
        expect(body).toMatchObject({ ok: true, authType: type });
        expect(typeof body.latencyMs).toBe('number');
      }
    });

    it('says unauthorized for a wrong password or a wrong client secret', async () => {
      const basic = await testConnection(add(simInstance(sim.url, 'basic', { password: 'nope' })).id);
      expect(await basic.json()).toMatchObject({ ok: false, reason: 'unauthorized' });
      const cc = await testConnection(add(simInstance(sim.url, 'oauth2_client_credentials', { clientSecret: 'nope' })).id);
      expect(await cc.json()).toMatchObject({ ok: false, reason: 'unauthorized' });
    });

    it('says not_authorized before the OAuth flow and reauthorization_required after a revocation, each with the authorize link to open', async () => {
      const instance = add(simInstance(sim.url, 'oauth2'));
      const authorizeUrl = `${gateway}/instances/${instance.id}/oauth/authorize`;
      expect(await (await testConnection(instance.id)).json()).toMatchObject({ ok: false, reason: 'not_authorized', authorizeUrl });
      await authorize(tokens, instance);
      sim.revokeAllTokens();
      const revoked = (await (await testConnection(instance.id)).json()) as { reason: string; message: string; authorizeUrl: string };
      expect(revoked).toMatchObject({ ok: false, reason: 'reauthorization_required', authorizeUrl });
      expect(revoked.message).toContain(`open ${authorizeUrl}?token=<admin token> in a browser and approve`);
      const basic = await (await testConnection(add(simInstance(sim.url, 'basic', { password: 'nope' })).id)).json();
      expect(basic).not.toHaveProperty('authorizeUrl');
    });

    it('says hibernating when the instance answers its HTML page', async () => {
      sim.knobs.hibernating = true;
      const res = await testConnection(add(simInstance(sim.url, 'basic')).id);
      expect(await res.json()).toMatchObject({ ok: false, reason: 'hibernating' });
    });

    it('says unreachable when nothing answers', async () => {
      const stopped = await startSimulator({ port: 0, seed: false });
      await stopped.close();
      const res = await testConnection(add(simInstance(stopped.url, 'basic')).id);
      expect(await res.json()).toMatchObject({ ok: false, reason: 'unreachable' });
    });

    it('when the instance URL is not public and private targets are not allowed, then target_refused before anything is sent, the same answer whether a port is open or closed', async () => {
      const closed = await startSimulator({ port: 0, seed: false });
      await closed.close();
      const port = (url: string) => new URL(url).port;
      const targets = [
        sim.url, // open: the simulator listens here
        closed.url, // closed
        sim.url.replace('127.0.0.1', 'localhost'), // a name that resolves to loopback
        `http://[::ffff:127.0.0.1]:${port(sim.url)}`,
        `http://[::127.0.0.1]:${port(sim.url)}`,
        `http://[::ffff:0:127.0.0.1]:${port(sim.url)}`,
        'http://[64:ff9b:1::a9fe:a9fe]',
        'http://[2002:a9fe:a9fe::]',
        'http://169.254.169.254',
      ];
      const answers = [];
      for (const url of targets) {
        for (const type of ['basic', 'oauth2_client_credentials'] as const) {
          const res = await testConnection(add(simInstance(url, type, { allowPrivateTargets: false, id: `refused-${answers.length}` })).id);
          const { instanceUrl, ...rest } = (await res.json()) as Record<string, unknown>;
          expect(instanceUrl).toBe(url.replace(/\/$/, ''));
          answers.push({ ...rest, message: String(rest.message).replace(/refused-\d+/, 'ID') });
        }
      }
      expect(new Set(answers.map((a) => JSON.stringify({ ...a, authType: undefined })))).toEqual(
        new Set([JSON.stringify({ ok: false, reason: 'target_refused', message: 'The instance URL of ID is not a public address; set servicenow.allow_private_targets to reach it', subscriber: 'not_configured' })]),
      );
      expect([tokenRequests(sim.stats), sim.stats.apiRequests.table]).toEqual([0, 0]);
    });

    it('needs the admin token and a known instance', async () => {
      expect((await testConnection(add(simInstance(sim.url, 'basic')).id, 'wrong')).status).toBe(401);
      const unknown = await testConnection('missing');
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_instance' } });
    });
  });
});
