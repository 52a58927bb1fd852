import type { Job } from 'bullmq';
import { PrivateRedis } from '../helpers/redis-server';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { newSecret, signedHeaders, webhookInstance } from '../helpers/webhook-signing';
import type { WriteJob } from '../../src/queues/write-job';
import { APONO_TEMPLATE } from './fixtures';

const webhookSecret = newSecret();
const actionSecret = newSecret();
const actionBearer = 'action-bearer-token-0123456789';
const writesBearer = 'writes-bearer-token-0123456789';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

const accessLog = {
  table: 'incident',
  operation: 'insert' as const,
  body: APONO_TEMPLATE,
  triggers: { field: 'event_type', in: ['RequestCreated', 'RequestApproved', 'RequestGranted', 'RequestExpired', 'Manual'] },
  filter: [{ field: 'data.requester.email', not_equals: 'robot@example.com' }],
  auth: { bearer_token: actionBearer, secret: actionSecret },
};

function aponoEvent(id: string, eventType = 'RequestCreated'): string {
  return JSON.stringify({ event_type: eventType, data: { id, requester: { name: 'Ada Lovelace', email: 'ada@example.com' }, justification: 'on call', access_groups: [{ integration: { name: 'PostgreSQL prod' } }] } });
}

async function post(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal) {
  const res = await fetch(url, { method: 'POST', body, headers, signal });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const bearer = (token = actionBearer) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

describe('POST /actions/{instanceId}/{action}', () => {
  let gw: TestGateway;
  const writeJobs = async (): Promise<Job<WriteJob>[]> => gw.snowgate.partitions[0].write.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
  async function expectNoNewWrite<T>(fn: () => Promise<T>): Promise<T> {
    const before = (await writeJobs()).length;
    const result = await fn();
    expect((await writeJobs()).length).toBe(before);
    return result;
  }

  beforeAll(async () => {
    gw = await startTestGateway({
      instances: [
        { ...webhookInstance('acme', webhookSecret, { 'writes.bearer_token': writesBearer }), actions: { 'access-log': accessLog } },
        { ...webhookInstance('slow', webhookSecret, { 'webhook.rate_limit_per_second': 1 }), actions: { 'access-log': accessLog } },
      ],
      env: { SNOWGATE_MAX_BODY_BYTES: '4096' },
    });
  });
  afterAll(() => gw.close());
  const url = (instance = 'acme', action = 'access-log') => `${gw.url}/actions/${instance}/${action}`;

  it('when an event comes with the action\'s bearer token, then 202 with a write id, and the rendered write waits in Redis', async () => {
    const res = await post(url(), aponoEvent('req-1'), bearer());
    expect(res).toMatchObject({ status: 202, body: { id: expect.any(String), status: 'queued' } });
    const job = await gw.snowgate.partitions[0].write.getJob(res.body.id);
    expect(job?.data).toMatchObject({ writeId: res.body.id, instanceId: 'acme', origin: { kind: 'action', action: 'access-log' }, request: { table: 'incident', operation: 'insert', fields: { caused_by: 'Ada Lovelace', short_description: 'PostgreSQL prod', cause: 'RequestCreated', reopened_by: 'apono app' } } });
    expect(res.body.id).not.toContain(':');
  });

  it('when the same unsigned event is posted twice, then the second answer is 200 duplicate with the first write id and no second job', async () => {
    const first = await post(url(), aponoEvent('req-2'), bearer());
    const second = await expectNoNewWrite(() => post(url(), aponoEvent('req-2'), bearer()));
    expect(second).toMatchObject({ status: 200, body: { id: first.body.id, status: 'duplicate' } });
  });

  it('when a signed event is resent with the same webhook-id but new bytes, then it is the same write', async () => {
    const a = aponoEvent('req-3');
    const b = aponoEvent('req-3b');
    const first = await post(url(), a, signedHeaders(actionSecret, 'msg-3', a));
    const second = await expectNoNewWrite(() => post(url(), b, signedHeaders(actionSecret, 'msg-3', b)));
    expect(first.status).toBe(202);
    expect(second.body).toEqual({ id: first.body.id, status: 'duplicate' });
  });

  it('when the triggers or the filter say no, then 200 filtered and nothing is queued', async () => {
    const expired = await expectNoNewWrite(() => post(url(), aponoEvent('req-4', 'RequestRejected'), bearer()));
    expect(expired).toMatchObject({ status: 200, body: { status: 'filtered' } });
    const robot = JSON.stringify({ event_type: 'RequestCreated', data: { id: 'r', requester: { email: 'robot@example.com' }, access_groups: [] } });
    expect((await expectNoNewWrite(() => post(url(), robot, bearer()))).body.status).toBe('filtered');
  });

  it.each([
    ['no credentials', () => ({ 'content-type': 'application/json' })],
    ['a wrong bearer token', () => bearer('not-the-action-token-000000')],
    ['the instance\'s webhook secret instead of the action\'s', (body: string) => signedHeaders(webhookSecret, 'msg-x', body)],
    ['a stale signature', (body: string) => signedHeaders(actionSecret, 'msg-y', body, new Date(Date.now() - 301_000))],
  ])('when the request carries %s, then 401 invalid_signature and no job', async (_what, headers) => {
    const body = aponoEvent('req-401');
    const res = await expectNoNewWrite(() => post(url(), body, headers(body)));
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
  });

  it('when the instance or the action is unknown, then 404 unknown_instance / unknown_action', async () => {
    expect((await post(url('nobody'), aponoEvent('x'), bearer())).body.error.code).toBe('unknown_instance');
    const res = await expectNoNewWrite(() => post(url('acme', 'nothing'), aponoEvent('x'), bearer()));
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'unknown_action' } } });
  });

  it('when the body is over the limit, then 413 payload_too_large and no job', async () => {
    const body = JSON.stringify({ event_type: 'RequestCreated', data: { id: 'big', justification: 'x'.repeat(5000) } });
    const res = await expectNoNewWrite(() => post(url(), body, bearer()));
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('when the content type is not JSON or the body does not parse, then 415 / 400 and no job', async () => {
    expect(await expectNoNewWrite(() => post(url(), aponoEvent('t'), { ...bearer(), 'content-type': 'text/plain' }))).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    expect(await expectNoNewWrite(() => post(url(), '{"event_type": ', bearer()))).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
  });

  it('when an instance posts over its rate, then 429 with Retry-After and no job', async () => {
    const before = (await writeJobs()).length;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await post(url('slow'), aponoEvent(`rate-${i}`), bearer()));
    const limited = answers.find((a) => a.status === 429);
    expect(limited?.body.error.code).toBe('rate_limited');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await writeJobs()).length - before).toBe(answers.filter((a) => a.status === 202).length);
  });

  it('when the admin tests the action, then it shows the rendered request with the token redacted, and sends nothing', async () => {
    const res = await post(`${gw.url}/instances/acme/actions/access-log/test`, aponoEvent('req-test'), { ...ADMIN, 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.body.request).toMatchObject({ method: 'POST', headers: { Authorization: '********' }, body: { caused_by: 'Ada Lovelace', short_description: 'PostgreSQL prod', sys_id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    expect(res.body.request.url).toMatch(/^https:\/\/acme\.service-now\.com\/api\/now\/table\/incident\?/);
    expect(res.body.response).toBeUndefined();
    expect((await post(`${gw.url}/instances/acme/actions/access-log/test`, aponoEvent('t'), { 'content-type': 'application/json' })).status).toBe(401);
  });
});

describe('direct writes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ instances: [webhookInstance('acme', webhookSecret, { 'writes.bearer_token': writesBearer })] });
  });
  afterAll(() => gw.close());
  const write = (body: unknown, headers: Record<string, string>) => post(`${gw.url}/instances/acme/writes`, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  const comment = { table: 'sn_customerservice_case', operation: 'update', sys_id: 'a'.repeat(32), fields: { comments: 'We are on it' } };

  it('when the same Idempotency-Key is posted twice, then one write: 202 then 200 with the same id', async () => {
    const first = await write(comment, { ...bearer(writesBearer), 'idempotency-key': 'sync-42' });
    const second = await write(comment, { ...bearer(writesBearer), 'idempotency-key': 'sync-42' });
    expect(first).toMatchObject({ status: 202, body: { status: 'queued' } });
    expect(second).toMatchObject({ status: 200, body: { id: first.body.id, status: 'duplicate' } });
    const status = await fetch(`${gw.url}/instances/acme/writes/${first.body.id}`, { headers: bearer(writesBearer) });
    expect(await status.json()).toMatchObject({ id: first.body.id, status: 'queued', table: 'sn_customerservice_case', operation: 'update', attempts: [] });
  });

  it('when the same Idempotency-Key comes with a different request, then 422 idempotency_key_reused and no second job; the same request in another key order is still the first write', async () => {
    const first = await write(comment, { ...bearer(writesBearer), 'idempotency-key': 'sync-43' });
    const before = await gw.snowgate.partitions[0].write.count();
    const other = await write({ ...comment, fields: { comments: 'Something else' } }, { ...bearer(writesBearer), 'idempotency-key': 'sync-43' });
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
    expect(await gw.snowgate.partitions[0].write.count()).toBe(before);
    const reordered = { fields: comment.fields, sys_id: comment.sys_id, operation: comment.operation, table: comment.table };
    expect(await write(reordered, { ...bearer(writesBearer), 'idempotency-key': 'sync-43' })).toMatchObject({ status: 200, body: { id: first.body.id, status: 'duplicate' } });
  });

  it('when the body is not a valid write, then 400 invalid_payload naming the paths, and no job', async () => {
    const before = await gw.snowgate.partitions[0].write.count();
    const res = await write({ table: 'Bad Table', operation: 'update', fields: 'x' }, ADMIN);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload' } } });
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['/table', '/fields', '/sys_id']));
    expect(await gw.snowgate.partitions[0].write.count()).toBe(before);
  });

  it('when the bearer is neither the admin token nor the instance\'s writes token, then 401; an unknown instance is 404', async () => {
    expect((await write(comment, bearer('someone-else-token-000000'))).status).toBe(401);
    expect((await post(`${gw.url}/instances/nobody/writes`, JSON.stringify(comment), { 'content-type': 'application/json', ...ADMIN })).status).toBe(404);
    expect((await fetch(`${gw.url}/instances/acme/writes/no-such-write`, { headers: ADMIN })).status).toBe(404);
  });
});

describe('when Redis is down', () => {
  let redis: PrivateRedis;
  let gw: TestGateway;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    gw = await startTestGateway({ redisUrl: redis.url, instances: [{ ...webhookInstance('acme', webhookSecret), actions: { 'access-log': accessLog } }] });
  });
  afterAll(async () => {
    await gw.close();
    await redis.stop();
  });

  it('then an action answers 503 queue_unavailable with Retry-After within 2 s, and nothing is written once Redis is back', async () => {
    await redis.stop();
    const started = Date.now();
    const res = await post(`${gw.url}/actions/acme/access-log`, aponoEvent('down'), bearer(), AbortSignal.timeout(3000));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'queue_unavailable' } } });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    await redis.start();
    for (let i = 0; i < 40 && gw.snowgate.producer.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await gw.snowgate.partitions[0].write.count()).toBe(0);
  });
});

describe('actions through the admin API', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ instances: [] });
  });
  afterAll(() => gw.close());
  const create = (body: unknown) => post(`${gw.url}/instances`, JSON.stringify(body), { ...ADMIN, 'content-type': 'application/json' });

  it('when an instance is created with actions, then their secrets are encrypted at rest and redacted in every answer', async () => {
    const created = await create({ ...webhookInstance('viaapi', webhookSecret), actions: { 'access-log': accessLog } });
    expect(created.status).toBe(201);
    const shown = (await fetch(`${gw.url}/instances/viaapi`, { headers: ADMIN }).then((r) => r.json())) as { actions: Record<string, unknown> };
    expect(shown.actions['access-log']).toMatchObject({ table: 'incident', auth: { bearer_token: '********', secret: '********' } });
    const stored = await gw.snowgate.commands.hget(`${gw.settings.queuePrefix}:instances`, 'viaapi');
    expect(stored).not.toContain(actionBearer);
    expect(stored).not.toContain(actionSecret.slice(6));
    // the stored action still works: the door accepts the bearer token it was created with
    expect((await post(`${gw.url}/actions/viaapi/access-log`, aponoEvent('via-api'), bearer())).status).toBe(202);
  });

  it('when a PATCH brings a template that does not render to JSON, then 400 invalid_instance with its line and column, and the action is unchanged', async () => {
    expect((await create({ ...webhookInstance('patched', webhookSecret), actions: { 'access-log': accessLog } })).status).toBe(201);
    const res = await fetch(`${gw.url}/instances/patched`, { method: 'PATCH', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ actions: { 'access-log': { ...accessLog, body: '{\n  "short_description": "{{ data.id }}"\n  "cause": "x"\n}' } } }) });
    const body = (await res.json()) as { error: unknown };
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_instance', details: [{ path: '/actions/access-log/body', line: 3, column: 3 }] });
    const shown = (await fetch(`${gw.url}/instances/patched`, { headers: ADMIN }).then((r) => r.json())) as { actions: Record<string, { body: string }> };
    expect(shown.actions['access-log'].body).toBe(APONO_TEMPLATE);
  });
});
