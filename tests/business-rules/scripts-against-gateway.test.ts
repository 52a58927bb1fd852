import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { webhookIdFor } from '../../src/ingest/webhook-fields';
import { allChanges, currentFor, previousFor, properties, sandboxBundle, TEST_SECRET } from './helpers/fixtures';
import { runBusinessRule, type RecordedRequest } from './helpers/servicenow-fakes';

/**
 * The generated scripts, run as ServiceNow runs them (vm + faithful Glide fakes), against a real gateway
 * on real Redis. The vm is synchronous, so the RESTMessageV2 fake records the request and this test
 * delivers exactly those headers and bytes over HTTP.
 */
const bundle = sandboxBundle();
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    instances: [{
      id: 'sandbox',
      name: 'sandbox',
      configuration: {
        'servicenow.instance_url': 'http://127.0.0.1:9',
        'servicenow.allow_private_targets': true,
        'authentication.type': 'basic', username: 'admin', password: 'admin',
        'webhook.secret': TEST_SECRET,
        'event.vendor.type': 'webhooks',
      },
    }],
  });
});

afterAll(async () => {
  await gateway?.close();
});

function deliver(req: RecordedRequest): Promise<Response> {
  return fetch(req.endpoint, { method: req.method, headers: req.headers, body: req.body });
}

describe('generated scripts against a running gateway', () => {
  it.each(allChanges().map((c) => [`${c.table} ${c.operation}`, c] as const))('%s: 202 queued, the job holds the change, a repeat is a duplicate', async (_label, change) => {
    const script = bundle.scripts.find((s) => s.table === change.table)!.script;
    const run = runBusinessRule(script, {
      current: currentFor(change),
      previous: previousFor(change),
      properties: properties(`${gateway.url}/webhooks/sandbox`),
    });
    expect(run.errors).toEqual([]);
    const [req] = run.requests;

    const res = await deliver(req!);
    const body = (await res.json()) as { id: string; status: string };
    expect({ status: res.status, body }).toEqual({ status: 202, body: { id: expect.any(String), status: 'queued' } });

    expect(await gateway.acceptedChange(body.id)).toMatchObject({
      instanceId: 'sandbox', table: change.table, sysId: change.values.sys_id, operation: change.operation,
    });
    expect(req!.headers['webhook-id']).toBe(webhookIdFor(change.values.sys_id!, change.operation, change.values.sys_mod_count ?? '0'));

    const again = await deliver(req!);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');
  });

  it('a script signed with another secret is refused with 401 and nothing is queued', async () => {
    const total = async () => (await gateway.accepted()).length;
    const before = await total();
    const change = allChanges()[1]!;
    const run = runBusinessRule(bundle.scripts[0]!.script, {
      current: currentFor(change),
      properties: properties(`${gateway.url}/webhooks/sandbox`, `whsec_${Buffer.alloc(32, 7).toString('base64')}`),
    });
    const res = await deliver(run.requests[0]!);
    expect(res.status).toBe(401);
    expect(await total()).toBe(before);
  });
});
