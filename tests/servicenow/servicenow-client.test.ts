import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { ServiceNowClient, type ServiceNowClientOptions } from '../../src/servicenow/servicenow-client';
import { ServiceNowError } from '../../src/servicenow/servicenow-error';
import { startSimulator } from '../../src/simulator';
import { authorize, simInstance, testRedis, tokenManager, tokenRequests } from './servicenow-fixtures';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('ServiceNow client against the simulator', () => {
  let sim: Sim;
  const r = testRedis('client');
  let statuses: number[];
  let waits: number[];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
    await r.cleanup();
  });
  beforeEach(() => {
    Object.assign(sim.knobs, { rateLimitStorm: null, errorRate: 0, hibernating: false, force401: false });
    sim.stats.reset();
    statuses = [];
    waits = [];
  });

  /** A basic-auth client that records every status and every wait between attempts. */
  function basicClient(options: ServiceNowClientOptions = {}, onWait?: () => void): ServiceNowClient {
    const instance = simInstance(sim.url, 'basic');
    return new ServiceNowClient(instance, tokenManager(r.redis, r.prefix, [instance]), {
      onCall: (_api, status) => statuses.push(status),
      sleep: async (ms) => {
        waits.push(ms);
        onWait?.();
      },
      ...options,
    });
  }

  describe('authentication', () => {
    it('when ServiceNow answers 401 to a live-looking token, then one refresh and one retry make the call succeed', async () => {
      const instance = simInstance(sim.url, 'oauth2');
      const tokens = tokenManager(r.redis, r.prefix, [instance]);
      await authorize(tokens, instance);
      sim.expireAccessTokens();
      sim.stats.reset();
      const client = new ServiceNowClient(instance, tokens, { onCall: (_api, status) => statuses.push(status) });

      await expect(client.getCase('CS0001001')).resolves.toMatchObject({ number: 'CS0001001' });
      expect(statuses).toEqual([401, 200]);
      expect(tokenRequests(sim.stats, 'refresh_token')).toBe(1);
    });

    it('when the 401 persists after the refresh, then it fails after exactly one retry', async () => {
      const instance = simInstance(sim.url, 'oauth2');
      const tokens = tokenManager(r.redis, r.prefix, [instance]);
      await authorize(tokens, instance);
      sim.knobs.force401 = true;
      sim.stats.reset();
      const client = new ServiceNowClient(instance, tokens, { onCall: (_api, status) => statuses.push(status) });

      await expect(client.getCase('CS0001001')).rejects.toMatchObject({ code: 'servicenow_unauthorized', status: 401 });
      expect(statuses).toEqual([401, 401]);
      expect(tokenRequests(sim.stats)).toBe(1);
    });

    it('with basic credentials, a 401 is not retried', async () => {
      const instance = simInstance(sim.url, 'basic', { password: 'wrong' });
      const client = new ServiceNowClient(instance, tokenManager(r.redis, r.prefix, [instance]), { onCall: (_a, s) => statuses.push(s) });
      await expect(client.getCase('CS0001001')).rejects.toMatchObject({ status: 401, serviceNowMessage: 'User Not Authenticated' });
      expect(statuses).toEqual([401]);
    });
  });

  describe('retries', () => {
    it('when rate limited, then it waits the Retry-After ServiceNow gave and succeeds', async () => {
      sim.knobs.rateLimitStorm = { retryAfterSec: 1 };
      const client = basicClient({}, () => (sim.knobs.rateLimitStorm = null));
      await expect(client.getCase('CS0001001')).resolves.toMatchObject({ number: 'CS0001001' });
      expect(statuses).toEqual([429, 200]);
      expect(waits).toEqual([1000]);
    });

    it('when Retry-After is longer than the policy allows, then it gives up at once with the delay on the error', async () => {
      sim.knobs.rateLimitStorm = { retryAfterSec: 120 };
      const err = await basicClient().getCase('CS0001001').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceNowError);
      expect(err).toMatchObject({ code: 'servicenow_rate_limited', retryAfterMs: 120_000, retryable: true });
      expect(statuses).toEqual([429]);
    });

    it('when ServiceNow answers 503, then it retries with backoff and succeeds', async () => {
      const client = basicClient({}, () => (sim.knobs.errorRate = 0));
      const sysId = await firstCaseId(client);
      statuses.length = 0;
      Object.assign(sim.knobs, { errorRate: 1, errorStatuses: [503] });
      await expect(client.getRecord('sn_customerservice_case', sysId)).resolves.toHaveProperty('number', 'CS0001001');
      expect(statuses).toEqual([503, 200]);
      expect(waits).toHaveLength(1);
    });

    it('when 5xx persists, then it stops after the bounded number of attempts', async () => {
      Object.assign(sim.knobs, { errorRate: 1, errorStatuses: [502] });
      await expect(basicClient({ retry: { maxAttempts: 3 } }).getCase('CS0001001')).rejects.toMatchObject({ status: 502, retryable: true });
      expect(statuses).toEqual([502, 502, 502]);
      expect(waits).toHaveLength(2);
    });

    it('when a record does not exist (404), then it is not retried and the ServiceNow message is kept', async () => {
      const err = await basicClient().getRecord('sn_customerservice_case', 'f'.repeat(32)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'servicenow_not_found', status: 404, serviceNowMessage: 'No Record found' });
      expect(statuses).toEqual([404]);
    });

    it('when the table is invalid (400), then it is not retried', async () => {
      await expect(basicClient().listRecords('sys_nonexistent')).rejects.toMatchObject({ code: 'servicenow_bad_request', status: 400 });
      expect(statuses).toEqual([400]);
    });
  });

  it('when the instance is hibernating (200 + HTML), then it says so instead of parsing the page', async () => {
    sim.knobs.hibernating = true;
    await expect(basicClient().getCase('CS0001001')).rejects.toMatchObject({ code: 'servicenow_hibernating' });
    expect(statuses).toEqual([200]);
  });

  describe('paging', () => {
    it('walks every page by the Link header, the last one short', async () => {
      const client = basicClient({ pageSize: 7 });
      const numbers: string[] = [];
      for await (const row of client.iterateRecords('sn_customerservice_case', { fields: 'number', query: 'ORDERBYnumber' })) numbers.push(String(row.number));
      expect(numbers).toHaveLength(20);
      expect(new Set(numbers).size).toBe(20);
      expect(statuses).toEqual([200, 200, 200]);
    });

    it('does not stop on a short page in the middle (ACLs applied after the limit)', async () => {
      // Drop rows from the second page's body as an ACL would, leaving ServiceNow's headers intact.
      const aclFetch: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (!String(input).includes('sysparm_offset=7')) return res;
        const body = (await res.json()) as { result: unknown[] };
        return new Response(JSON.stringify({ result: body.result.slice(0, 2) }), { status: res.status, headers: res.headers });
      };
      const client = basicClient({ pageSize: 7, fetch: aclFetch });
      const pageSizes: number[] = [];
      for await (const page of client.pages('sn_customerservice_case', { fields: 'number', query: 'ORDERBYnumber' })) pageSizes.push(page.rows.length);
      expect(pageSizes).toEqual([7, 2, 6]);
    });

    it('pages by X-Total-Count when the Link header is suppressed', async () => {
      const client = basicClient({ pageSize: 8 });
      const pages: Array<{ rows: number; total?: number; linked: boolean }> = [];
      for await (const p of client.pages('sn_customerservice_case', { fields: 'number', suppressPaginationHeader: true })) pages.push({ rows: p.rows.length, total: p.total, linked: p.linked });
      expect(pages).toEqual([
        { rows: 8, total: 20, linked: false },
        { rows: 8, total: 20, linked: false },
        { rows: 4, total: 20, linked: false },
      ]);
    });

    it('returns one page with its total and next link', async () => {
      const page = await basicClient().listRecords('sn_customerservice_case', { limit: 5, fields: ['number', 'sys_id'] });
      expect(page.rows).toHaveLength(5);
      expect(page.total).toBe(20);
      expect(page.nextUrl).toContain('sysparm_offset=5');
    });
  });

  describe('attachments', () => {
    async function seededAttachment(client: ServiceNowClient, fileName: string) {
      const page = await client.listAttachments(`file_name=${fileName}`);
      expect(page.rows).toHaveLength(1);
      return page.rows[0];
    }

    it('streams the bytes with the X-Attachment-Metadata parsed', async () => {
      const client = basicClient();
      const meta = await seededAttachment(client, 'login-error.txt');
      const download = await client.streamAttachment(meta.sys_id, { maxBytes: 1024 * 1024 });
      const bytes = await collect(download.stream);
      expect(download.metadata).toMatchObject({ sys_id: meta.sys_id, file_name: 'login-error.txt', size_bytes: String(bytes.length) });
      if (meta.hash) expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(meta.hash);
      expect(bytes.toString()).toContain('account locked');
      await expect(client.getAttachmentMetadata(meta.sys_id)).resolves.toMatchObject({ file_name: 'login-error.txt' });
    });

    it('refuses an attachment whose declared size is over the cap', async () => {
      const client = basicClient();
      const meta = await seededAttachment(client, 'screenshot.png');
      await expect(client.streamAttachment(meta.sys_id, { maxBytes: 10 })).rejects.toMatchObject({ code: 'attachment_too_large' });
    });

    it('aborts mid-stream once past the cap when no size was declared', async () => {
      const undeclared: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        const headers = new Headers(res.headers);
        headers.delete('content-length');
        headers.delete('x-attachment-metadata');
        return new Response(res.body, { status: res.status, headers });
      };
      const client = basicClient({ fetch: undeclared });
      const meta = await seededAttachment(basicClient(), 'crash-log.txt');
      const download = await client.streamAttachment(meta.sys_id, { maxBytes: 16 });
      await expect(collect(download.stream)).rejects.toMatchObject({ code: 'attachment_too_large' });
    });
  });

  it('creates, reads, updates and deletes a record through the Table API', async () => {
    const client = basicClient();
    const created = await client.createRecord('sn_customerservice_case', { short_description: 'Printer on fire' });
    const sysId = String(created.sys_id);
    expect(sysId).toMatch(/^[0-9a-f]{32}$/);
    await client.updateRecord('sn_customerservice_case', sysId, { priority: '1' });
    await expect(client.getRecord('sn_customerservice_case', sysId, { fields: ['priority'] })).resolves.toEqual({ priority: '1' });
    await client.deleteRecord('sn_customerservice_case', sysId);
    await expect(client.getRecord('sn_customerservice_case', sysId)).rejects.toMatchObject({ status: 404 });
  });
});

async function firstCaseId(client: ServiceNowClient): Promise<string> {
  const page = await client.listRecords('sn_customerservice_case', { limit: 1, fields: 'sys_id', query: 'number=CS0001001' });
  return String(page.rows[0].sys_id);
}
