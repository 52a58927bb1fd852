import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { SCHEMA_DIR } from '../../src/lib/schemas';
import { startOpsGateway, type OpsGateway } from './ops-gateway';

const CONTRACT_ROUTES: Array<[string, string]> = [
  ['post', '/webhooks/{instanceId}/{table}'],
  ['post', '/instances'], ['get', '/instances'], ['get', '/instances/{id}'], ['patch', '/instances/{id}'], ['delete', '/instances/{id}'],
  ['get', '/instances/{id}/oauth/authorize'], ['get', '/oauth/callback'],
  ['post', '/instances/{id}/test-connection'],
  ['get', '/instances/{id}/business-rules'], ['get', '/instances/{id}/business-rules/update-set.xml'],
  ['get', '/healthz'], ['get', '/readyz'], ['get', '/metrics'],
  ['get', '/ops/queues'], ['get', '/ops/api/queues'], ['get', '/ops/api/failed'], ['post', '/ops/api/failed/retry'],
  ['post', '/ops/api/failed/{queue}/{jobId}/retry'], ['get', '/ops/api/dead-letters'], ['post', '/ops/api/dead-letters/replay'],
  ['post', '/ops/api/dead-letters/{eventId}/replay'], ['get', '/ops/api/subscribers'], ['post', '/ops/api/subscribers/{instanceId}/reset'],
  ['post', '/actions/{instanceId}/{action}'], ['post', '/instances/{id}/actions/{action}/test'],
  ['post', '/instances/{id}/writes'], ['get', '/instances/{id}/writes/{writeId}'], ['post', '/instances/{id}/writes/{writeId}/replay'],
  ['get', '/ops/api/events'], ['get', '/ops/api/events/{id}'], ['post', '/ops/api/events/{id}/replay'], ['get', '/ops/events'], ['get', '/ops/events/{id}'],
];

const schemaFile = (name: string) => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8'));

describe('GET /openapi.json', () => {
  let gw: OpsGateway;
  let doc: Record<string, any>;

  beforeAll(async () => {
    gw = await startOpsGateway();
    doc = (await request(gw.url).get('/openapi.json').expect(200).expect('content-type', /json/)).body;
  });

  afterAll(async () => {
    await gw.close();
  });

  it('when fetched without a token, then it is an OpenAPI 3.1 document describing every contract route', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'snowgate', version: expect.any(String) });
    for (const [method, route] of CONTRACT_ROUTES) {
      expect(doc.paths[route]?.[method]).toEqual(expect.objectContaining({ responses: expect.any(Object) }));
    }
  });

  it('when it describes bodies, then they are the schema files themselves, and errors share one shape', () => {
    expect(doc.components.schemas.instance).toEqual(schemaFile('instance.schema.json'));
    expect(doc.components.schemas['webhook-sn_customerservice_case']).toEqual(schemaFile('webhook-sn_customerservice_case.schema.json'));
    expect(doc.components.schemas['webhook-common']).toEqual(schemaFile('webhook-common.schema.json'));
    expect(doc.paths['/instances'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/instance' });
    const webhook = doc.paths['/webhooks/{instanceId}/{table}'].post;
    expect(webhook.requestBody.content['application/json'].schema.oneOf).toContainEqual({ $ref: '#/components/schemas/webhook-sys_journal_field' });
    expect(webhook.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);

    // Every local $ref points at something that exists.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect(doc.components.schemas).toHaveProperty([name]);
  });
});
