import crypto from 'node:crypto';
import vm from 'node:vm';
import { Webhook } from 'standardwebhooks';
import { buildBusinessRuleBundle } from '../../src/business-rules/business-rule-bundle';
import { WEBHOOK_FIELDS, webhookIdFor } from '../../src/ingest/webhook-fields';
import { compileSchema } from '../../src/lib/schemas';
import { allChanges, currentFor, previousFor, properties, sandboxBundle, sysId, TEST_SECRET, type Change } from './helpers/fixtures';
import { FakeGlideRecord, runBusinessRule, type SandboxOptions } from './helpers/servicenow-fakes';

const bundle = sandboxBundle();
const scriptFor = (table: string): string => bundle.scripts.find((s) => s.table === table)!.script;
const BASE = 'https://gateway.example.com/webhooks/sandbox';

function run(change: Change, overrides: Partial<SandboxOptions> = {}) {
  return runBusinessRule(scriptFor(change.table), {
    current: currentFor(change), previous: previousFor(change), properties: properties(BASE), ...overrides,
  });
}

const changes = allChanges().map((c) => [`${c.table} ${c.operation} (${c.when})`, c] as const);

describe('a generated script run as ServiceNow runs it', () => {
  it.each(changes)('%s: one signed POST whose body passes the gateway schema', (_label, change) => {
    const before = Math.floor(Date.now() / 1000);
    const result = run(change);
    expect(result.errors).toEqual([]);
    expect(result.requests).toHaveLength(1);
    const req = result.requests[0]!;

    expect(req.method).toBe('POST');
    expect(req.endpoint).toBe(`${BASE}/${change.table}`);
    expect(req.sentWith).toBe(change.operation === 'delete' ? 'executeAsync' : 'execute');
    expect(req.headers['Content-Type']).toBe('application/json');

    const v = change.values;
    const modCount = v.sys_mod_count ?? '0';
    const record = Object.fromEntries(WEBHOOK_FIELDS[change.table]!.map((f) => [f, v[f] ?? '']));
    const expected = JSON.stringify({
      table: change.table, sys_id: v.sys_id, operation: change.operation,
      sys_updated_on: v.sys_updated_on ?? v.sys_created_on, sys_mod_count: modCount, record,
    });
    expect(req.body).toBe(expected);
    expect(Object.keys(JSON.parse(req.body))).toEqual(['table', 'sys_id', 'operation', 'sys_updated_on', 'sys_mod_count', 'record']);
    expect(compileSchema(`webhook-${change.table}.schema.json`)(JSON.parse(req.body))).toEqual({ ok: true, value: JSON.parse(req.body) });

    const id = req.headers['webhook-id']!;
    expect(id).toBe(webhookIdFor(v.sys_id!, change.operation, modCount));
    expect(id).not.toContain(':');
    const ts = Number(req.headers['webhook-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));

    // The Standard Webhooks reference verifier accepts it, and so does a hand-rolled HMAC over the raw bytes.
    expect(() => new Webhook(TEST_SECRET).verify(req.body, req.headers)).not.toThrow();
    const key = Buffer.from(TEST_SECRET.slice('whsec_'.length), 'base64');
    const mac = crypto.createHmac('sha256', key).update(`${id}.${ts}.${req.body}`, 'utf8').digest('base64');
    expect(req.headers['webhook-signature']).toBe(`v1,${mac}`);
  });

  it('the scoped-app script signs the same way where only CertificateEncryption and the scoped gs exist, reading its scope\'s properties', () => {
    const change = allChanges()[1]!;
    const scoped = buildBusinessRuleBundle({ instanceId: 'sandbox', publicUrl: 'http://localhost:3000', scope: 'x_acme_snowgate' });
    const script = scoped.scripts.find((s) => s.table === change.table)!.script;
    const props = { 'x_acme_snowgate.webhook.url': BASE, 'x_acme_snowgate.webhook.secret': TEST_SECRET };
    const result = runBusinessRule(script, { current: currentFor(change), properties: props, scope: 'scoped' });
    expect(result.errors).toEqual([]);
    expect(() => new Webhook(TEST_SECRET).verify(result.requests[0]!.body, result.requests[0]!.headers)).not.toThrow();
    const failing = runBusinessRule(script, { current: currentFor(change), properties: props, scope: 'scoped', answer: { status: 500 } });
    expect(failing.errors).toEqual([expect.stringContaining('HTTP 500')]);
    expect(() => runBusinessRule(scriptFor(change.table), { current: currentFor(change), properties: properties(BASE), scope: 'scoped' })).not.toThrow();
  });

  it('when current.operation() says nothing (async job), then the operation comes from sys_mod_count', () => {
    const values = { ...allChanges()[0]!.values, sys_mod_count: '0' };
    const inserted = run(allChanges()[0]!, { current: new FakeGlideRecord('sn_customerservice_case', values, null) });
    const updated = run(allChanges()[0]!, { current: new FakeGlideRecord('sn_customerservice_case', { ...values, sys_mod_count: '7' }, null) });
    expect(JSON.parse(inserted.requests[0]!.body).operation).toBe('insert');
    expect(JSON.parse(updated.requests[0]!.body).operation).toBe('update');
  });

  it('a rule on a child class still reports the table it was generated for', () => {
    const change = allChanges()[1]!;
    const result = run(change, { current: new FakeGlideRecord('sn_customerservice_case_child', change.values, 'update') });
    expect(JSON.parse(result.requests[0]!.body).table).toBe('sn_customerservice_case');
  });
});

describe('failures are logged with gs.logError (source snowgate) and never thrown into the transaction', () => {
  const change = allChanges()[1]!;

  it('when the properties are missing, then nothing is sent and an error names them', () => {
    const result = run(change, { properties: {} });
    expect(result.requests).toEqual([]);
    expect(result.errors).toEqual([expect.stringMatching(/^snowgate: snowgate: webhook .*snowgate\.webhook\.secret/)]);
  });

  it('when the secret reads back without its whsec_ prefix (e.g. still encrypted), then nothing is sent', () => {
    const result = run(change, { properties: properties(BASE, 'Zm9vYmFy') });
    expect(result.requests).toEqual([]);
    expect(result.errors).toHaveLength(1);
  });

  it('when execute() throws (connection refused), then the error is logged, not raised', () => {
    const result = run(change, { answer: { status: 0, throws: 'java.net.ConnectException: Connection refused' } });
    expect(result.requests).toHaveLength(1);
    expect(result.errors).toEqual([expect.stringContaining('Connection refused')]);
  });

  it('when the gateway answers 401, then the status and body are logged', () => {
    const result = run(change, { answer: { status: 401, body: '{"error":{"code":"invalid_signature"}}' } });
    expect(result.errors).toEqual([expect.stringMatching(/HTTP 401.*invalid_signature/)]);
  });

  it('when the secret is not valid Base64, then generateMac throws inside the rule and only a log results', () => {
    const result = run(change, { properties: properties(BASE, 'whsec_not base64!') });
    expect(result.requests).toEqual([]);
    expect(result.errors).toEqual([expect.stringContaining('Illegal base64')]);
  });

  it('when the logging API itself is missing (the wrong scope), then the rule still never throws', () => {
    const result = run(change, { scope: 'scoped', answer: { status: 500 } });
    expect(result.errors).toEqual([]);
  });

  it('a 200 duplicate answer is not an error', () => {
    expect(run(change, { answer: { status: 200 } }).errors).toEqual([]);
  });
});

describe('rule conditions', () => {
  const conditionOf = (table: string) => bundle.rules.find((r) => r.table === table)!.condition;
  const evaluate = (condition: string, values: Record<string, string>, enabled = 'true') => {
    const gs = { getProperty: (k: string, alt: string) => (k === 'snowgate.webhook.enabled' ? enabled : alt) };
    return vm.runInNewContext(condition, { current: new FakeGlideRecord('x', values, null), gs }) as boolean;
  };

  it('journal entries: only comments and work notes of cases', () => {
    const entry = { name: 'sn_customerservice_case', element: 'work_notes' };
    expect(evaluate(conditionOf('sys_journal_field'), entry)).toBe(true);
    expect(evaluate(conditionOf('sys_journal_field'), { ...entry, element: 'approval_history' })).toBe(false);
    expect(evaluate(conditionOf('sys_journal_field'), { ...entry, name: 'incident' })).toBe(false);
  });

  it('attachments: only those of cases; every rule stops when snowgate.webhook.enabled is false', () => {
    expect(evaluate(conditionOf('sys_attachment'), { table_name: 'sn_customerservice_case' })).toBe(true);
    expect(evaluate(conditionOf('sys_attachment'), { table_name: 'incident' })).toBe(false);
    for (const rule of bundle.rules) {
      expect(evaluate(rule.condition, { table_name: 'sn_customerservice_case', name: 'sn_customerservice_case', element: 'comments' }, 'false')).toBe(false);
    }
  });

  it('an extra table (kb_knowledge) gets async insert/update and after delete with the generic fields', () => {
    const kb = buildBusinessRuleBundle({ instanceId: 'x', publicUrl: 'http://h', tables: ['kb_knowledge'] });
    expect(kb.rules.map((r) => [r.when, r.actions])).toEqual([['async', ['insert', 'update']], ['after', ['delete']]]);
    const values = { sys_id: sysId(), sys_updated_on: '2026-01-01 00:00:00', sys_mod_count: '2', number: 'KB0010001', short_description: 'How to' };
    const result = runBusinessRule(kb.scripts[0]!.script, { current: new FakeGlideRecord('kb_knowledge', values, 'update'), properties: properties(BASE) });
    expect(compileSchema('webhook-generic.schema.json')(JSON.parse(result.requests[0]!.body)).ok).toBe(true);
  });
});
