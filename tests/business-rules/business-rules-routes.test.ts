import express from 'express';
import request from 'supertest';
import { createBusinessRulesRoutes } from '../../src/http/business-rules-routes';
import { errorHandler, notFound } from '../../src/http/error-handler';
import { InstanceRegistry } from '../../src/instances/instance-registry';
import { parseInstance } from '../../src/instances/parse-instance';
import { silentLogger } from '../../src/lib/logger';
import { TEST_SECRET } from './helpers/fixtures';
import { child, childrenNamed, parseXml } from './helpers/xml-parser';

const ADMIN = 'admin-token-for-tests-0123456789';
const acme = parseInstance({
  id: 'acme',
  name: 'Acme',
  configuration: {
    'servicenow.instance_url': 'https://acme.service-now.com',
    'authentication.type': 'basic', username: 'u', password: 'p',
    'webhook.secret': TEST_SECRET,
    'webhook.tables': ['kb_knowledge'],
  },
});

function app() {
  const a = express();
  a.use(createBusinessRulesRoutes({ registry: new InstanceRegistry([acme]), adminToken: ADMIN, publicUrl: 'https://gw.example.com' }));
  a.use(notFound);
  a.use(errorHandler(silentLogger));
  return a;
}

describe('GET /instances/:id/business-rules', () => {
  it('returns every rule with its script, the properties and the README, for the instance\'s tables', async () => {
    const res = await request(app()).get('/instances/acme/business-rules').set('Authorization', `Bearer ${ADMIN}`);
    expect(res.status).toBe(200);
    expect(res.body.instanceId).toBe('acme');
    expect(res.body.rules.map((r: { table: string; when: string }) => `${r.table}/${r.when}`)).toEqual([
      'sn_customerservice_case/async', 'sn_customerservice_case/after', 'sys_journal_field/async',
      'sys_attachment/async', 'sys_attachment/after', 'kb_knowledge/async', 'kb_knowledge/after',
    ]);
    const rule = res.body.rules[0];
    expect(Object.keys(rule)).toEqual(['name', 'table', 'when', 'actions', 'order', 'condition', 'fileName', 'script']);
    expect(rule.script).toContain("var TABLE = 'sn_customerservice_case';");
    expect(res.body.properties.find((p: { name: string }) => p.name === 'snowgate.webhook.url').value).toBe('https://gw.example.com/webhooks/acme');
    expect(res.body.readme).toContain('Import Update Set from XML');
    expect(JSON.stringify(res.body)).not.toContain(TEST_SECRET.slice(6));
  });

  it('with ?scope=x_…, then the scoped-app rules (all async, CertificateEncryption, scoped property names); a bad scope is 400', async () => {
    const res = await request(app()).get('/instances/acme/business-rules?scope=x_acme_snowgate').set('Authorization', `Bearer ${ADMIN}`);
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('x_acme_snowgate');
    expect(res.body.rules.every((r: { when: string }) => r.when === 'async')).toBe(true);
    expect(res.body.rules[0].script).toContain('CertificateEncryption.generateMac');
    expect(res.body.rules[0].script).not.toContain('GlideCertificateEncryption');
    expect(res.body.properties.map((p: { name: string }) => p.name)).toEqual(['x_acme_snowgate.webhook.url', 'x_acme_snowgate.webhook.secret', 'x_acme_snowgate.webhook.enabled']);
    expect(res.body.readme).toContain('now-sdk build');
    const bad = await request(app()).get('/instances/acme/business-rules?scope=acme').set('Authorization', `Bearer ${ADMIN}`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_scope']);
    const noSet = await request(app()).get('/instances/acme/business-rules/update-set.xml?scope=x_acme_snowgate').set('Authorization', `Bearer ${ADMIN}`);
    expect([noSet.status, noSet.body.error.code]).toEqual([400, 'global_scope_only']);
  });

  it('when the admin token is missing, then 401 and no scripts', async () => {
    const res = await request(app()).get('/instances/acme/business-rules');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('when the instance is unknown, then 404 unknown_instance', async () => {
    const res = await request(app()).get('/instances/nope/business-rules').set('Authorization', `Bearer ${ADMIN}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_instance');
  });
});

describe('GET /instances/:id/business-rules/update-set.xml', () => {
  it('downloads a well-formed update set holding every rule and property', async () => {
    const res = await request(app()).get('/instances/acme/business-rules/update-set.xml').set('Authorization', `Bearer ${ADMIN}`).buffer(true).parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (data += c));
      r.on('end', () => cb(null, data));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?snowgate-acme-update-set.xml"?$/);
    const root = parseXml(res.body as string);
    child(root, 'sys_remote_update_set');
    expect(childrenNamed(root, 'sys_update_xml')).toHaveLength(7 + 3);
  });

  it('when the instance is unknown, then 404 unknown_instance', async () => {
    const res = await request(app()).get('/instances/nope/business-rules/update-set.xml').set('Authorization', `Bearer ${ADMIN}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_instance');
  });
});
