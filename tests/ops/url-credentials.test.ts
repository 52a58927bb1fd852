import request from 'supertest';
import { captureLogger } from '../helpers/capture-logger';
import { caseBody, newSecret, signedHeaders } from '../helpers/webhook-signing';
import { ADMIN_TOKEN, instanceBody, startOpsGateway, type OpsGateway } from './ops-gateway';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const SECRETS = ['hook-pass-S3CRET', 'tok-S3CRET', 'key-S3CRET', 'hook-user-S3CRET'];
const CALLBACK = `https://${SECRETS[3]}:${SECRETS[0]}@hooks.example.com/events?access_token=${SECRETS[1]}&tenant=7&api_key=${SECRETS[2]}`;
const SHOWN = 'https://********:********@hooks.example.com/events?access_token=********&tenant=7&api_key=********';

describe('credentials inside URLs', () => {
  let a: OpsGateway;
  let b: OpsGateway;
  const log = captureLogger('debug');

  beforeAll(async () => {
    a = await startOpsGateway({ logger: log.logger });
    b = await startOpsGateway({ prefix: a.prefix }); // a second process on the same Redis
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const noSecretIn = (text: string) => SECRETS.forEach((s) => expect(text).not.toContain(s));

  it('when a callback URL carries a user, password and secret query parameters, then every answer redacts them, Redis holds them encrypted and every process still uses them', async () => {
    const created = await request(a.url).post('/instances').set(auth).send(instanceBody('Hooked', { 'event.notification.callback.url': CALLBACK })).expect(201);
    noSecretIn(created.text);
    const list = await request(a.url).get('/instances').set(auth).expect(200);
    const one = await request(a.url).get('/instances/hooked').set(auth).expect(200);
    expect(one.body.configuration['event.notification.callback.url']).toBe(SHOWN);
    [list.text, one.text].forEach(noSecretIn);

    const stored = (await a.snowgate.producer.hget(a.store.hashKey, 'hooked')) ?? '';
    expect(stored).toContain('hooks.example.com');
    noSecretIn(stored);
    await waitFor(() => b.snowgate.registry.get('hooked')?.events.callbackUrl === CALLBACK);
  });

  it('when an admin sends back the configuration as GET shows it, then the real credentials are kept', async () => {
    const shown = (await request(a.url).get('/instances/hooked').set(auth).expect(200)).body.configuration;
    const patched = await request(a.url).patch('/instances/hooked').set(auth).send({ name: 'Hooked again', configuration: shown }).expect(200);
    expect(patched.body.configuration['event.notification.callback.url']).toBe(SHOWN);
    expect(a.snowgate.registry.get('hooked')?.events.callbackUrl).toBe(CALLBACK);
    expect(a.snowgate.registry.get('hooked')?.auth.password).toBe('pa55word-very-secret');
  });

  it('when a ServiceNow instance URL carries credentials, then 400 invalid_instance naming the key, and nothing is stored', async () => {
    const res = await request(a.url)
      .post('/instances')
      .set(auth)
      .send(instanceBody('Creds In Url', { 'servicenow.instance_url': `https://admin:${SECRETS[0]}@acme.service-now.com` }))
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_instance', details: [{ path: '/configuration/servicenow.instance_url' }] });
    noSecretIn(res.text);
    expect(await a.snowgate.producer.hexists(a.store.hashKey, 'creds-in-url')).toBe(0);
  });

  it("when a webhook's URL carries a query string, then the door's debug line logs the path without it", async () => {
    const secret = newSecret();
    await request(a.url).post('/instances').set(auth).send({ ...instanceBody('Door', { 'webhook.secret': secret }), id: 'door' }).expect(201);
    await waitFor(() => a.snowgate.registry.get('door') !== undefined);
    const body = caseBody();
    const res = await request(a.url).post(`/webhooks/door/sn_customerservice_case?token=${SECRETS[1]}`).set(signedHeaders(secret, 'evt-door-1', body)).send(body);
    expect(res.status).toBe(202);
    const line = log.entries.find((e) => e.message === 'request' && String(e.path).startsWith('/webhooks/door/'));
    expect(line).toMatchObject({ level: 'debug', path: '/webhooks/door/sn_customerservice_case', status: 202 });
    noSecretIn(JSON.stringify(log.entries));
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
