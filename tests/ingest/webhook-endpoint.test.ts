import crypto from 'node:crypto';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { caseBody, newSecret, signedHeaders, webhookInstance } from '../helpers/webhook-signing';

const secret = newSecret();
const oldSecret = newSecret();
const bearer = 'bearer-token-for-servicenow-0001';

const instance = (id: string, extra: Record<string, unknown> = {}) => webhookInstance(id, secret, extra);

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    instances: [
      instance('acme'),
      instance('rotating', { 'webhook.secret': [secret, oldSecret] }),
      instance('bearer', { 'webhook.bearer_token': bearer }),
      instance('slow', { 'webhook.rate_limit_per_second': 2 }),
    ],
    env: { SNOWGATE_MAX_BODY_BYTES: '4096' },
  });
});
afterAll(() => gw.close());

async function post(path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(gw.url + path, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const jobCount = async () => (await gw.accepted()).length;

async function expectNoNewJob<T>(fn: () => Promise<T>): Promise<T> {
  const before = await jobCount();
  const result = await fn();
  expect(await jobCount()).toBe(before);
  return result;
}

const CASE = '/webhooks/acme/sn_customerservice_case';

describe('POST /webhooks/{instanceId}/{table}', () => {
  it('when a case webhook is correctly signed, then 202 and the change waits in Redis', async () => {
    const body = caseBody({ modCount: 4 });
    const res = await post(CASE, body, signedHeaders(secret, 'wh-accept-1', body));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued' });
    expect(await gw.acceptedChange(res.body.id)).toMatchObject({ instanceId: 'acme', table: 'sn_customerservice_case', sysModCount: '4', source: 'webhook', eventId: res.body.id });
  });

  it('when many webhooks arrive at once, then every one is accepted (grouped into intake jobs or queued as ingest jobs)', async () => {
    const bodies = Array.from({ length: 40 }, (_, i) => caseBody({ modCount: 100 + i }));
    const answers = await Promise.all(bodies.map((body, i) => post(CASE, body, signedHeaders(secret, `wh-many-${i}`, body))));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 202));
    for (const a of answers) expect(await gw.acceptedChange(a.body.id)).toBeDefined();
  });

  it('when the same webhook arrives twice, then one job and the second answer is 200 duplicate with the first id', async () => {
    const body = caseBody();
    const first = await post(CASE, body, signedHeaders(secret, 'wh-dup-1', body));
    const second = await expectNoNewJob(() => post(CASE, body, signedHeaders(secret, 'wh-dup-1', body)));
    expect(first.status).toBe(202);
    expect(second).toMatchObject({ status: 200, body: { id: first.body.id, status: 'duplicate' } });
  });

  it('accepts journal entries and attachments', async () => {
    const journal = JSON.stringify({
      table: 'sys_journal_field', sys_id: 'b'.repeat(32), operation: 'insert', sys_updated_on: '2026-11-22 10:00:01', sys_mod_count: '0',
      record: { element: 'work_notes', element_id: 'a'.repeat(32), name: 'sn_customerservice_case', value: 'Called the customer' },
    });
    const attachment = JSON.stringify({
      table: 'sys_attachment', sys_id: 'c'.repeat(32), operation: 'insert', sys_updated_on: '2026-11-22 10:00:02', sys_mod_count: '0',
      record: { table_name: 'sn_customerservice_case', table_sys_id: 'a'.repeat(32), file_name: 'log.txt', content_type: 'text/plain', size_bytes: '12' },
    });
    expect((await post('/webhooks/acme/sys_journal_field', journal, signedHeaders(secret, 'wh-j-1', journal))).status).toBe(202);
    expect((await post('/webhooks/acme/sys_attachment', attachment, signedHeaders(secret, 'wh-a-1', attachment))).status).toBe(202);
  });

  it('when the body fails the schema, then 400 invalid_payload with the failing paths and no job', async () => {
    const body = JSON.stringify({ table: 'sn_customerservice_case', sys_id: 'NOT-HEX', operation: 'upsert', sys_updated_on: 'yesterday', sys_mod_count: 3, record: { number: 7 } });
    const res = await expectNoNewJob(() => post(CASE, body, signedHeaders(secret, 'wh-bad-1', body)));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_payload');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/sys_id', '/operation', '/sys_updated_on', '/sys_mod_count', '/record/number']));
    expect(res.body.error.details).toContainEqual({ path: '/operation', message: 'must be equal to one of the allowed values: "insert", "update", "delete"' });
  });

  it('when the body names another table than the URL, then 400 invalid_payload', async () => {
    const body = caseBody();
    const res = await expectNoNewJob(() => post('/webhooks/acme/sys_attachment', body, signedHeaders(secret, 'wh-mismatch', body)));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_payload');
  });

  it('when the body is not JSON, then 400 invalid_json and no job', async () => {
    const body = '{"table": "sn_customerservice_case",';
    const res = await expectNoNewJob(() => post(CASE, body, signedHeaders(secret, 'wh-json-1', body)));
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
  });

  it('when the content type is not JSON, then 415 unsupported_media_type', async () => {
    const body = caseBody();
    const res = await expectNoNewJob(() => post(CASE, body, { ...signedHeaders(secret, 'wh-ct-1', body), 'content-type': 'text/plain' }));
    expect(res).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
  });

  it.each([
    ['missing', (h: Record<string, string>) => ({ ...h, 'webhook-signature': '' })],
    ['forged', (h: Record<string, string>) => ({ ...h, 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') })],
    ['stale', () => null],
  ])('when the signature is %s, then 401 invalid_signature and no job', async (kind, mutate) => {
    const body = caseBody();
    const headers = kind === 'stale' ? signedHeaders(secret, 'wh-sig', body, new Date(Date.now() - 301_000)) : mutate(signedHeaders(secret, 'wh-sig', body))!;
    const res = await expectNoNewJob(() => post(CASE, body, headers));
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
  });

  it('when a body is signed with another secret, then the 401 names the secret the instance expects by its fingerprint, never the secret', async () => {
    const body = caseBody();
    const res = await expectNoNewJob(() => post(CASE, body, signedHeaders(newSecret(), 'wh-other-secret', body)));
    const fingerprint = crypto.createHash('sha256').update(secret).digest('hex').slice(0, 8);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain(`expected a signature made with the secret whose fingerprint is ${fingerprint}`);
    expect(res.body.error.message).not.toContain(secret.slice(6, 20));
    const rotating = await post('/webhooks/rotating/sn_customerservice_case', body, signedHeaders(newSecret(), 'wh-other-secret', body));
    expect(rotating.body.error.message).toContain(`(also accepted during the rotation: ${crypto.createHash('sha256').update(oldSecret).digest('hex').slice(0, 8)})`);
  });

  it('when a secret was rotated out, then bodies signed with it fail while the new secret passes', async () => {
    const body = caseBody();
    expect((await post(CASE, body, signedHeaders(oldSecret, 'wh-rot-1', body))).status).toBe(401);
    expect((await post(CASE, body, signedHeaders(secret, 'wh-rot-1', body))).status).toBe(202);
  });

  it('during a rotation both secrets pass, and a header carrying several signatures passes', async () => {
    const a = caseBody();
    const b = caseBody();
    expect((await post('/webhooks/rotating/sn_customerservice_case', a, signedHeaders(oldSecret, 'wh-rot-2', a))).status).toBe(202);
    const headers = signedHeaders(secret, 'wh-rot-3', b);
    headers['webhook-signature'] = `v1,${Buffer.alloc(32, 1).toString('base64')} ${headers['webhook-signature']}`;
    expect((await post('/webhooks/rotating/sn_customerservice_case', b, headers)).status).toBe(202);
  });

  it('accepts the instance bearer token where configured, and refuses a wrong one', async () => {
    const body = caseBody();
    const path = '/webhooks/bearer/sn_customerservice_case';
    expect((await post(path, body, { 'content-type': 'application/json', authorization: 'Bearer wrong-token-xxxxxxxxxxx' })).status).toBe(401);
    expect((await post(path, body, { 'content-type': 'application/json', authorization: `Bearer ${bearer}` })).status).toBe(202);
  });

  it('when the instance or table is unknown, then 404 unknown_instance / unknown_table', async () => {
    const body = caseBody();
    const h = signedHeaders(secret, 'wh-404', body);
    expect((await post('/webhooks/nobody/sn_customerservice_case', body, h)).body.error.code).toBe('unknown_instance');
    const res = await post('/webhooks/acme/incident', body, h);
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'unknown_table' } } });
  });

  it('when the body is over the limit, then 413 payload_too_large and no job', async () => {
    const body = caseBody({ record: { description: 'x'.repeat(5000) } });
    const res = await expectNoNewJob(() => post(CASE, body, signedHeaders(secret, 'wh-big', body)));
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('when an instance posts faster than its limit, then 429 rate_limited with Retry-After', async () => {
    const path = '/webhooks/slow/sn_customerservice_case';
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const body = caseBody();
      const res = await post(path, body, signedHeaders(secret, `wh-rate-${i}`, body));
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(res.body.error.code).toBe('rate_limited');
      }
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('counts accepted and rejected webhooks in /metrics, never labelling unknown instances', async () => {
    const body = caseBody();
    await post(CASE, body, signedHeaders(secret, 'wh-metric-ok', body));
    await post(CASE, body, { ...signedHeaders(secret, 'wh-metric-bad', body), 'webhook-signature': 'v1,AAAA' });
    await post('/webhooks/made-up-instance-123/sn_customerservice_case', body, signedHeaders(secret, 'wh-metric-404', body));
    const res = await fetch(gw.url + '/metrics', { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    const text = await res.text();
    expect(text).toMatch(/snowgate_webhooks_received_total\{instance_id="acme",table="sn_customerservice_case",outcome="accepted"\} \d+/);
    expect(text).toMatch(/snowgate_webhooks_received_total\{instance_id="acme",table="sn_customerservice_case",outcome="invalid_signature"\} [1-9]/);
    expect(text).toMatch(/snowgate_webhooks_received_total\{instance_id="_unknown",table="_unknown",outcome="unknown_instance"\} [1-9]/);
    expect(text).not.toContain('made-up-instance-123');
  });

  it('answers every error in the one JSON shape, with a request id', async () => {
    const res = await fetch(gw.url + '/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});
