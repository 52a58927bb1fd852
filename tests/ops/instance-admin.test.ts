import { once } from 'node:events';
import request from 'supertest';
import { acceptedChange } from '../helpers/accepted-changes';
import { caseBody, newSecret, signedHeaders } from '../helpers/webhook-signing';
import { ADMIN_TOKEN, instanceBody, startOpsGateway, type OpsGateway } from './ops-gateway';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const CONFIG_SECRET = newSecret();

describe('admin API of instances, kept in Redis and synced to every process', () => {
  let a: OpsGateway;
  let b: OpsGateway;

  beforeAll(async () => {
    const config = [instanceBody('From Config', { 'webhook.secret': CONFIG_SECRET })];
    a = await startOpsGateway({ configInstances: config });
    // A second process: same Redis and prefix, its own registry, no admin routes.
    b = await startOpsGateway({ prefix: a.prefix, configInstances: config });
  });

  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('when the admin token is missing or wrong, then 401 and nothing is created', async () => {
    await request(a.url).get('/instances').expect(401);
    await request(a.url).post('/instances').set('authorization', 'Bearer wrong-token-wrong-token').send(instanceBody('nope')).expect(401);
    expect(await a.snowgate.producer.hlen(a.store.hashKey)).toBe(0);
  });

  it('when the body is invalid, then 400 invalid_instance with the failing paths', async () => {
    const res = await request(a.url).post('/instances').set(auth).send({ name: 'bad', configuration: { 'authentication.type': 'kerberos' } }).expect(400);
    expect(res.body.error.code).toBe('invalid_instance');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('/configuration') })]));
    await request(a.url).post('/instances').set(auth).set('content-type', 'text/plain').send('x').expect(415);
  });

  it('when an instance is created without a webhook secret, then one is generated, shown once, and another process accepts webhooks for it at once', async () => {
    const changed = once(b.snowgate.registry, 'change');
    const res = await request(a.url).post('/instances').set(auth).send(instanceBody('Acme Prod')).expect(201);
    expect(res.body).toEqual({
      id: 'acme-prod',
      name: 'Acme Prod',
      webhookUrls: expect.objectContaining({ sn_customerservice_case: 'https://gw.example.com/webhooks/acme-prod/sn_customerservice_case' }),
      webhookSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
      warnings: expect.arrayContaining([expect.objectContaining({ path: '/configuration/event.notification.callback.url' })]),
      poller: expect.objectContaining({ enabled: false }),
    });
    const secret: string = res.body.webhookSecret;
    expect(await changed).toEqual(['acme-prod']);

    const body = caseBody();
    const hook = await request(b.url).post('/webhooks/acme-prod/sn_customerservice_case').set(signedHeaders(secret, 'evt-new-1', body)).send(body);
    expect(hook.status).toBe(202);
    const sources = { intake: b.snowgate.partitions[0].intake, ingest: b.snowgate.partitions[0].ingest, claims: b.snowgate.partitions[0].claims, redis: b.snowgate.commands };
    expect(await acceptedChange(sources, hook.body.id)).toBeDefined();

    // At rest, the secrets are encrypted: neither the password nor the webhook secret is in Redis in clear.
    const stored = (await a.snowgate.producer.hget(a.store.hashKey, 'acme-prod')) ?? '';
    expect(stored).not.toContain('pa55word-very-secret');
    expect(stored).not.toContain(secret.slice(6));
  });

  it('when the same id is created twice, then 409 instance_exists', async () => {
    const res = await request(a.url).post('/instances').set(auth).send({ ...instanceBody('Acme Prod'), id: 'acme-prod' }).expect(409);
    expect(res.body.error.code).toBe('instance_exists');
    await request(a.url).post('/instances').set(auth).send(instanceBody('From Config')).expect(409);
  });

  it('when instances are listed or read, then secrets are redacted everywhere and config instances show as read-only sources', async () => {
    const list = await request(a.url).get('/instances').set(auth).expect(200);
    expect(list.body.instances.map((i: { id: string; source: string }) => [i.id, i.source])).toEqual([['from-config', 'config'], ['acme-prod', 'api']]);
    const one = await request(a.url).get('/instances/acme-prod').set(auth).expect(200);
    expect(one.body.configuration).toMatchObject({ password: '********', 'webhook.secret': '********', username: 'admin' });
    for (const text of [list.text, one.text]) {
      expect(text).not.toContain('pa55word-very-secret');
      expect(text).not.toContain(CONFIG_SECRET);
      expect(text).not.toMatch(/whsec_[A-Za-z0-9+/]{20}/);
    }
    await request(a.url).get('/instances/nope').set(auth).expect(404);
  });

  it('when an instance is patched, then keys merge, null deletes one, the result is revalidated, and the other process sees it', async () => {
    const changed = once(b.snowgate.registry, 'change');
    const bearer = 'bearer-token-0123456789abcdef';
    const res = await request(a.url)
      .patch('/instances/acme-prod')
      .set(auth)
      .send({ name: 'Acme Renamed', configuration: { 'webhook.bearer_token': bearer, 'webhook.rate_limit_per_second': 5, capabilities: null } })
      .expect(200);
    expect(res.body).toMatchObject({ name: 'Acme Renamed', source: 'api', configuration: { 'webhook.bearer_token': '********', 'webhook.rate_limit_per_second': 5 } });
    expect(res.text).not.toContain(bearer);
    await changed;
    expect(b.snowgate.registry.get('acme-prod')).toMatchObject({ name: 'Acme Renamed', webhook: expect.objectContaining({ bearerToken: bearer, rateLimitPerSecond: 5 }) });

    const bad = await request(a.url).patch('/instances/acme-prod').set(auth).send({ configuration: { 'servicenow.instance_url': null } }).expect(400);
    expect(bad.body.error.code).toBe('invalid_instance');
    const ro = await request(a.url).patch('/instances/from-config').set(auth).send({ name: 'x' }).expect(409);
    expect(ro.body.error.code).toBe('instance_read_only');
  });

  it('when an instance is deleted, then 204, the other process forgets it and its webhooks get 404', async () => {
    const changed = once(b.snowgate.registry, 'change');
    await request(a.url).delete('/instances/acme-prod').set(auth).expect(204);
    await changed;
    expect(b.snowgate.registry.get('acme-prod')).toBeUndefined();
    const body = caseBody();
    const hook = await request(b.url).post('/webhooks/acme-prod/sn_customerservice_case').set(signedHeaders(newSecret(), 'evt-gone', body)).send(body);
    expect(hook.status).toBe(404);
    await request(a.url).delete('/instances/acme-prod').set(auth).expect(404);
    await request(a.url).delete('/instances/from-config').set(auth).expect(409);
    expect(b.snowgate.registry.get('from-config')).toBeDefined();
  });
});
