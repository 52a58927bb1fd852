import request from 'supertest';
import { captureLogger } from '../helpers/capture-logger';
import { newSecret } from '../helpers/webhook-signing';
import { ADMIN_TOKEN, instanceBody, startOpsGateway, type OpsGateway } from './ops-gateway';

/** One route of every admin family: instances, OAuth authorize, test-connection, business rules, ops API, dashboard, metrics. */
const ADMIN_ROUTES: Array<[method: 'get' | 'post' | 'patch' | 'delete', path: string]> = [
  ['post', '/instances'],
  ['get', '/instances'],
  ['get', '/instances/acme'],
  ['patch', '/instances/acme'],
  ['delete', '/instances/acme'],
  ['get', '/instances/acme/oauth/authorize'],
  ['post', '/instances/acme/test-connection'],
  ['get', '/instances/acme/business-rules'],
  ['get', '/instances/acme/business-rules/update-set.xml'],
  ['get', '/ops/api/queues'],
  ['get', '/ops/api/failed'],
  ['post', '/ops/api/failed/retry'],
  ['get', '/ops/api/dead-letters'],
  ['post', '/ops/api/dead-letters/some-event/replay'],
  ['get', '/ops/api/subscribers'],
  ['post', '/ops/api/subscribers/acme/reset'],
  ['get', '/ops/queues/'],
  ['get', '/metrics'],
];

/** Cookie values `decodeURIComponent` throws on (a truncated or invalid percent escape, a lone surrogate). */
const MALFORMED = ['%E0%A4%A', '%', '%zz', '%ED%A0%80'];

describe('admin authentication', () => {
  let gw: OpsGateway;
  const log = captureLogger('info');

  beforeAll(async () => {
    gw = await startOpsGateway({ logger: log.logger, configInstances: [{ ...instanceBody('acme', { 'webhook.secret': newSecret() }), id: 'acme' }] });
  });
  afterAll(() => gw.close());

  it.each(ADMIN_ROUTES)('when %s %s carries a malformed admin cookie, then 401 unauthorized and no error is logged', async (method, path) => {
    for (const cookie of MALFORMED) {
      const res = await request(gw.url)[method](path).set('Cookie', `snowgate_admin=${cookie}`).send({});
      expect([res.status, res.body.error?.code, res.headers['www-authenticate']]).toEqual([401, 'unauthorized', 'Bearer']);
    }
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('when the cookie is well formed, then a wrong token is 401 and the right one (percent-encoded) lets the request in', async () => {
    await request(gw.url).get('/instances').set('Cookie', 'snowgate_admin=not-the-token').expect(401);
    const res = await request(gw.url).get('/instances').set('Cookie', `other=1; snowgate_admin=${encodeURIComponent(ADMIN_TOKEN)}`).expect(200);
    expect(res.body.instances.map((i: { id: string }) => i.id)).toEqual(['acme']);
  });
});
