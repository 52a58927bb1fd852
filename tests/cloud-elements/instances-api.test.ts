import request from 'supertest';
import { startSimulator, type Simulator } from '../../src/simulator';
import { ADMIN_TOKEN, startOpsGateway, type OpsGateway } from '../ops/ops-gateway';
import { basicPollingBody, oauthPollingBody } from './ce-bodies';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const APP_CALLBACK = 'https://mycoolapp.example.com/oauth';

/** An authorization code as Cloud Elements' flow got one: the browser approved at oauth_auth.do and the code came back to the app. */
async function mintCode(sim: Simulator): Promise<string> {
  const url = `${sim.url}/oauth_auth.do?response_type=code&client_id=sandbox-client&redirect_uri=${encodeURIComponent(APP_CALLBACK)}&state=servicenowoauth`;
  const res = await fetch(url, { redirect: 'manual' });
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no code from oauth_auth.do (${res.status})`);
  return code;
}

describe('POST /instances with Cloud Elements bodies', () => {
  let sim: Simulator;
  let gw: OpsGateway;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    gw = await startOpsGateway();
  });

  afterAll(async () => {
    await gw.close();
    await sim.close();
  });

  /** The Cloud Elements OAuth body against the simulator, which listens on loopback: private targets allowed. */
  const oauthBody = (code: string, name: string) => {
    const body = oauthPollingBody({ subdomain: sim.url, clientId: 'sandbox-client', clientSecret: 'sandbox-secret', callbackUrl: APP_CALLBACK, code });
    return { ...body, name, configuration: { ...(body.configuration as object), 'servicenow.allow_private_targets': 'true' } };
  };

  it('when the OAuth events body comes with a fresh providerData.code, then 201 with warnings, and the code was exchanged for working tokens', async () => {
    const res = await request(gw.url).post('/instances').set(auth).send(oauthBody(await mintCode(sim), 'CE OAuth')).expect(201);
    expect(res.body).toMatchObject({
      id: 'ce-oauth',
      warnings: [
        { path: '/configuration/event.notification.callback.url', message: expect.stringMatching(/no_subscriber/) },
        { path: '/configuration/event.notification.signature.key', message: expect.any(String) },
      ],
      poller: { enabled: true, refreshIntervalMinutes: 15, resources: { accounts: { table: 'core_company', sysparm_query: 'sys_updated_on>${gmtDate:yyyy-MM-dd HH:mm:ss}' } } },
    });
    expect(JSON.stringify(res.body)).not.toContain('providerData');
    expect(sim.state.stats.tokenRequests.authorization_code).toBe(1);

    const test = await request(gw.url).post('/instances/ce-oauth/test-connection').set(auth).expect(200);
    expect(test.body).toMatchObject({ ok: true, subscriber: 'not_configured' });
    const ready = await request(gw.url).get('/readyz').expect(200);
    expect(JSON.stringify(ready.body)).toContain('"ce-oauth":{"status":"degraded","auth":"ok","subscriber":"not_configured"}');
    const stored = (await gw.snowgate.producer.hget(gw.store.hashKey, 'ce-oauth')) ?? '';
    expect(stored).not.toContain('providerData');
  });

  it('when the code is refused by ServiceNow, then 400 authorization_failed and no instance is stored', async () => {
    const res = await request(gw.url).post('/instances').set(auth).send(oauthBody('not-a-code-ServiceNow-issued', 'CE Refused')).expect(400);
    expect(res.body.error.code).toBe('authorization_failed');
    await request(gw.url).get('/instances/ce-refused').set(auth).expect(404);
    expect(await gw.snowgate.producer.hexists(gw.store.hashKey, 'ce-refused')).toBe(0);
  });

  it('when the basic events body is pasted, then 201 with warnings and GET shows each query translated beside the original', async () => {
    const body = basicPollingBody({ subdomain: 'dev12345', callbackUrl: 'http://mycoolapp.com' });
    const created = await request(gw.url).post('/instances').set(auth).send(body).expect(201);
    expect(created.body.warnings.map((w: { path: string }) => w.path)).toEqual(['/providerData', '/configuration/event.notification.signature.key']);
    const res = await request(gw.url).get('/instances/ce-polling').set(auth).expect(200);
    expect(res.body).toMatchObject({
      configuration: { username: 'admin', password: '********', 'servicenow.subdomain': 'dev12345' },
      subscriber: 'not_configured',
      poller: {
        resourcesFrom: 'configuration',
        resources: {
          accounts: {
            url: "/hubs/helpdesk/accounts?where=sys_updated_on>'${gmtDate:yyyy-MM-dd'T'HH:mm:ss}'",
            where: "sys_updated_on>'${gmtDate:yyyy-MM-dd'T'HH:mm:ss}'",
            table: 'core_company',
            sysparm_query: 'sys_updated_on>${gmtDate:yyyy-MM-dd HH:mm:ss}',
          },
        },
      },
      warnings: created.body.warnings.slice(1), // providerData is never stored, so it is no longer there to warn about
    });
  });

  it('when a key is mistyped, then 400 with the suggestion and nothing is stored', async () => {
    const body = basicPollingBody({ subdomain: 'dev1', callbackUrl: 'http://mycoolapp.com' });
    const typo = { ...body, name: 'Typo', configuration: { ...(body.configuration as object), 'webhook.secrets': 'whsec_x' } };
    const res = await request(gw.url).post('/instances').set(auth).send(typo).expect(400);
    expect(res.body.error).toEqual({
      code: 'invalid_instance',
      message: '/configuration/webhook.secrets: unknown key "webhook.secrets"; did you mean "webhook.secret"?',
      details: [{ path: '/configuration/webhook.secrets', message: 'unknown key "webhook.secrets"; did you mean "webhook.secret"?' }],
    });
    expect(await gw.snowgate.producer.hexists(gw.store.hashKey, 'typo')).toBe(0);

    const patched = await request(gw.url).patch('/instances/ce-polling').set(auth).send({ configuration: { 'event.notifcation.enabled': false } }).expect(400);
    expect(patched.body.error.details).toEqual([{ path: '/configuration/event.notifcation.enabled', message: 'unknown key "event.notifcation.enabled"; did you mean "event.notification.enabled"?' }]);
    const misplaced = await request(gw.url).patch('/instances/ce-polling').set(auth).send({ configuraton: {} }).expect(400);
    expect(misplaced.body.error.details).toEqual([{ path: '/configuraton', message: 'unknown key "configuraton"; did you mean "configuration"?' }]);
    expect((await request(gw.url).get('/instances/ce-polling').set(auth).expect(200)).body.configuration['event.notification.enabled']).toBe(true);
  });

  it('when an 85 KB poller URL is posted, then it is refused at once and the gateway keeps answering', async () => {
    const body = basicPollingBody({ subdomain: 'dev1', callbackUrl: 'http://mycoolapp.com' });
    const url = `/hubs/helpdesk/incidents?where=x>'${'${date:'.repeat(12_000)}'`;
    const huge = { ...body, name: 'Huge', configuration: { ...(body.configuration as object), 'event.poller.configuration': { incidents: { url } } } };
    const res = await request(gw.url).post('/instances').set(auth).send(huge).expect(400);
    expect(res.body.error.details).toContainEqual({ path: '/configuration/event.poller.configuration/incidents/url', message: 'must NOT have more than 4096 characters' });
    await request(gw.url).get('/healthz').expect(200);
  });
});
