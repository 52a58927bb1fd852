import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_FIELDS } from '../../src/ingest/webhook-fields';
import { compileSchema } from '../../src/lib/schemas';
import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { api, BASIC } from './sim-client';

const SECRET = 'whsec_' + Buffer.alloc(32, 9).toString('base64');

interface Received { path: string; headers: http.IncomingHttpHeaders; raw: string; body: any; verified: boolean }

let sim: Simulator;
let receiver: http.Server;
let receiverUrl: string;
let received: Received[] = [];
let answerStatus = 202;

beforeAll(async () => {
  sim = await startSimulator();
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(SECRET).verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw), verified });
      res.writeHead(answerStatus).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received = [];
  answerStatus = 202;
  sim.stats.reset();
  sim.setWebhookTarget({ gatewayUrl: receiverUrl, instanceId: 'acme', secret: SECRET });
});

const schemaFor = (table: string) => compileSchema(`webhook-${table}.schema.json`);

describe('webhook firing', () => {
  it('a PATCH through the Table API sends a signed case update in the business-rule shape', async () => {
    const id = SEED_IDS.case(12);
    const res = await api(sim.url, `/api/now/table/sn_customerservice_case/${id}`, { method: 'PATCH', body: { priority: '1' } });
    await sim.webhooksIdle();
    expect(received).toHaveLength(1);
    const [hook] = received;
    expect(hook.path).toBe('/webhooks/acme/sn_customerservice_case');
    expect(hook.verified).toBe(true);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['webhook-id']).toBe(`${id}-${res.body.result.sys_mod_count}`);
    expect(Number(hook.headers['webhook-timestamp'])).toBeGreaterThan(1_700_000_000);
    expect(Object.keys(hook.body)).toEqual(['table', 'sys_id', 'operation', 'sys_updated_on', 'sys_mod_count', 'record']);
    expect(Object.keys(hook.body.record)).toEqual([...WEBHOOK_FIELDS.sn_customerservice_case]);
    expect(hook.body).toMatchObject({ table: 'sn_customerservice_case', sys_id: id, operation: 'update', sys_mod_count: res.body.result.sys_mod_count });
    expect(hook.body.record.account).toBe(sim.store.get('sn_customerservice_case', id)!.account);
    expect(hook.body.record.account).toMatch(/^[0-9a-f]{32}$/);
    expect(hook.body.record.priority).toBe('1');
    expect(schemaFor('sn_customerservice_case')(hook.body).ok).toBe(true);
  });

  it('a comment PATCHed onto a case fires the case update and a sys_journal_field insert', async () => {
    const id = SEED_IDS.case(13);
    await api(sim.url, `/api/now/table/sn_customerservice_case/${id}`, { method: 'PATCH', body: { comments: 'Any news?' } });
    await sim.webhooksIdle();
    expect(received.map((r) => `${r.body.table}:${r.body.operation}`)).toEqual(['sn_customerservice_case:update', 'sys_journal_field:insert']);
    const journal = received[1].body;
    expect(journal.record).toEqual({ element: 'comments', element_id: id, name: 'sn_customerservice_case', value: 'Any news?', sys_created_by: 'admin' });
    expect(journal.sys_mod_count).toBe('0');
    expect(received[1].headers['webhook-id']).toBe(`${journal.sys_id}-0`);
    expect(schemaFor('sys_journal_field')(journal).ok).toBe(true);
  });

  it('when the target lists incident, then a PATCHed work note fires the incident update and the journal insert, written by the API user', async () => {
    sim.setWebhookTarget({ gatewayUrl: receiverUrl, instanceId: 'acme', secret: SECRET, tables: ['incident', 'sys_journal_field'] });
    const id = SEED_IDS.incident(0);
    const res = await api(sim.url, `/api/now/table/incident/${id}`, { method: 'PATCH', body: { work_notes: 'Escalated to vendor' } });
    await sim.webhooksIdle();
    expect(received.map((r) => `${r.path} ${r.body.operation}`)).toEqual(['/webhooks/acme/incident update', '/webhooks/acme/sys_journal_field insert']);
    expect(received[0].body).toMatchObject({ sys_id: id, sys_mod_count: res.body.result.sys_mod_count, record: { number: 'INC0010001' } });
    expect(received[1].body.record).toEqual({ element: 'work_notes', element_id: id, name: 'incident', value: 'Escalated to vendor', sys_created_by: 'admin' });
    expect(sim.store.get('sys_journal_field', received[1].body.sys_id)!.sys_created_by).toBe('admin');
    expect(received.every((r) => r.verified)).toBe(true);
  });

  it('an attachment upload fires an insert and its deletion a delete with webhook-id {sys_id}-deleted', async () => {
    const upload = await fetch(`${sim.url}/api/now/attachment/file?table_name=sn_customerservice_case&table_sys_id=${SEED_IDS.case(1)}&file_name=a.txt`, {
      method: 'POST', headers: { authorization: BASIC, 'content-type': 'text/plain' }, body: 'abc',
    });
    const sysId = ((await upload.json()) as { result: { sys_id: string } }).result.sys_id;
    await api(sim.url, `/api/now/attachment/${sysId}`, { method: 'DELETE' });
    await sim.webhooksIdle();
    expect(received.map((r) => r.body.operation)).toEqual(['insert', 'delete']);
    expect(received[0].body.record).toEqual({ table_name: 'sn_customerservice_case', table_sys_id: SEED_IDS.case(1), file_name: 'a.txt', content_type: 'text/plain', size_bytes: '3' });
    expect(received[1].headers['webhook-id']).toBe(`${sysId}-deleted`);
    expect(received.every((r) => r.verified && schemaFor('sys_attachment')(r.body).ok)).toBe(true);
  });

  it('programmatic store writes fire webhooks too; tables without a rule and a null target fire nothing', async () => {
    const created = sim.store.insert('sn_customerservice_case', { short_description: 'From the store' });
    sim.store.insert('kb_knowledge', { short_description: 'No rule for kb' });
    await sim.webhooksIdle();
    expect(received.map((r) => `${r.body.table}:${r.body.operation}:${r.body.sys_id}`)).toEqual([`sn_customerservice_case:insert:${created.sys_id}`]);
    sim.setWebhookTarget(null);
    sim.store.update('sn_customerservice_case', created.sys_id, { state: '10' });
    await sim.webhooksIdle();
    expect(received).toHaveLength(1);
  });

  it('extra tables fire when listed in the target, with the generic fields', async () => {
    sim.setWebhookTarget({ gatewayUrl: receiverUrl, instanceId: 'acme', secret: SECRET, tables: ['kb_knowledge'] });
    const kb = sim.store.insert('kb_knowledge', { short_description: 'Now with a rule' });
    await sim.webhooksIdle();
    expect(received[0].body.record).toEqual({ number: kb.number, short_description: 'Now with a rule' });
    expect(compileSchema('webhook-generic.schema.json')(received[0].body).ok).toBe(true);
  });

  it('when the gateway answers 500, then the write still succeeds and the failure is counted', async () => {
    answerStatus = 500;
    const res = await api(sim.url, `/api/now/table/sn_customerservice_case/${SEED_IDS.case(14)}`, { method: 'PATCH', body: { urgency: '1' } });
    expect(res.status).toBe(200);
    await sim.webhooksIdle();
    expect(sim.stats.webhooks).toMatchObject({ sent: 0, failed: 1 });
    expect(sim.stats.webhooks.lastError).toContain('HTTP 500');
  });

  it('two updates in the same (frozen) second carry distinct mod counts and webhook-ids', async () => {
    sim.clock.set('2026-02-02 02:02:02');
    try {
      const id = SEED_IDS.case(15);
      sim.store.update('sn_customerservice_case', id, { priority: '2' });
      sim.store.update('sn_customerservice_case', id, { priority: '3' });
      await sim.webhooksIdle();
      expect(received.map((r) => r.body.sys_updated_on)).toEqual(['2026-02-02 02:02:02', '2026-02-02 02:02:02']);
      const ids = received.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(2);
    } finally {
      sim.clock.useRealTime();
    }
  });
});
