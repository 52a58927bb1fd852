import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadInstancesFile } from '../../src/config/load-instances-file';
import { AppError, ConfigError } from '../../src/lib/errors';
import { parseInstance } from '../../src/instances/parse-instance';
import { pollerView } from '../../src/poller/poller-view';
import { basicAuthenticateBody, basicPollingBody, defaultsBody2017, oauthPollingBody } from './ce-bodies';

const paths = (warnings: readonly { path: string }[]) => warnings.map((w) => w.path);

function refusal(body: unknown): AppError {
  try {
    parseInstance(body);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the body was accepted');
}

describe('Cloud Elements bodies, pasted as their docs print them', () => {
  it('when the basic polling body is parsed, then it polls its hub resource with the element defaults and warns about what it ignores', () => {
    const instance = parseInstance(basicPollingBody({ subdomain: 'dev12345', callbackUrl: 'http://mycoolapp.com' }));
    expect(instance).toMatchObject({
      id: 'ce-polling',
      element: 'servicenow',
      instanceUrl: 'https://dev12345.service-now.com',
      auth: { type: 'basic', username: 'admin' },
      vendor: { webhooks: false, polling: true },
      events: { enabled: true, callbackUrl: 'http://mycoolapp.com', format: 'cloudevents' },
      poller: { refreshIntervalMs: 15 * 60_000 },
    });
    expect(paths(instance.warnings)).toEqual(['/providerData', '/configuration/event.notification.signature.key']);
    expect(instance.definition).not.toHaveProperty('providerData');
    expect(pollerView(instance).resources.accounts).toEqual({
      url: "/hubs/helpdesk/accounts?where=sys_updated_on>'${gmtDate:yyyy-MM-dd'T'HH:mm:ss}'",
      table: 'core_company',
      sysparm_query: 'sys_updated_on>${gmtDate:yyyy-MM-dd HH:mm:ss}',
      where: "sys_updated_on>'${gmtDate:yyyy-MM-dd'T'HH:mm:ss}'",
    });
  });

  it('when the OAuth body leaves the callback URL empty, then "" is "not set" and the warning says where its events go', () => {
    const instance = parseInstance(oauthPollingBody({ subdomain: 'dev12345', clientId: 'id', clientSecret: 'secret', callbackUrl: 'https://mycoolapp.com', code: 'abc' }));
    expect(instance.auth).toMatchObject({ type: 'oauth2', clientId: 'id', callbackUrl: 'https://mycoolapp.com' });
    expect(instance.events.callbackUrl).toBeUndefined();
    const warning = instance.warnings.find((w) => w.path === '/configuration/event.notification.callback.url');
    expect(warning?.message).toMatch(/dead letters \(reason no_subscriber\)/);
    expect(paths(instance.warnings)).toContain('/providerData'); // a config file cannot exchange the code
  });

  it('when the authenticate body sets filter.response.nulls, then it is accepted with a warning and notifications are off, as in Cloud Elements', () => {
    const instance = parseInstance(basicAuthenticateBody('dev12345'));
    expect(instance.warnings).toEqual([{ path: '/configuration/filter.response.nulls', message: expect.stringMatching(/^ignored: /) }]);
    expect(instance.events.enabled).toBe(false);
    expect(pollerView(instance)).toMatchObject({ enabled: false, resourcesFrom: 'element defaults' });
    expect(Object.keys(pollerView(instance).resources)).toEqual(['accounts', 'contacts', 'agents', 'incidents']);
  });

  it('when the 2017 body writes booleans as strings, a full URL as subdomain and "PST" zones, then all are read as Cloud Elements did', () => {
    const instance = parseInstance(defaultsBody2017({ subdomainUrl: 'https://dev12345.service-now.com/', callbackUrl: 'https://app.example.com/ce' }));
    expect(instance.instanceUrl).toBe('https://dev12345.service-now.com');
    expect(instance.events.enabled).toBe(true);
    const view = pollerView(instance);
    expect(Object.fromEntries(Object.entries(view.resources).map(([k, r]) => [k, r.table]))).toEqual({ accounts: 'core_company', contacts: 'sys_user', agents: 'sys_user', incidents: 'incident' });
    expect(view.resources.incidents.sysparm_query).toBe('sys_updated_on>${date:yyyy-MM-dd HH:mm:ss}');
    expect(instance.warnings).toContainEqual({ path: '/configuration/event.poller.configuration/agents', message: expect.stringMatching(/reads sys_user like contacts/) });
  });

  it('when event.poller.configuration is the JSON string Cloud Elements stored, then it is read as the object', () => {
    const body = basicPollingBody({ subdomain: 'dev12345', callbackUrl: 'http://mycoolapp.com' });
    const configuration = body.configuration as Record<string, unknown>;
    const asString = { ...body, configuration: { ...configuration, 'event.poller.configuration': JSON.stringify(configuration['event.poller.configuration']) } };
    expect(pollerView(parseInstance(asString))).toEqual(pollerView(parseInstance(body)));
    expect(refusal({ ...body, configuration: { ...configuration, 'event.poller.configuration': '{"accounts":' } }).message).toMatch(/is a string but not JSON/);
    expect(pollerView(parseInstance({ ...body, configuration: { ...configuration, 'event.poller.configuration': '{}' } })).resourcesFrom).toBe('element defaults');
  });
});

describe('keys that mean nothing', () => {
  const body = (configuration: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: 'typo', ...extra,
    configuration: { 'servicenow.subdomain': 'acme', 'authentication.type': 'basic', username: 'a', password: 'b', 'event.vendor.type': 'polling', 'event.notification.enabled': false, ...configuration },
  });

  it.each([
    ['event.notifcation.callback.url', 'event.notification.callback.url'],
    ['webhook.secrets', 'webhook.secret'],
    ['oauth.api.secrte', 'oauth.api.secret'],
    ['signature.key', 'event.notification.signature.key'],
  ])('when the configuration has %s, then 400 invalid_instance says "did you mean %s"', (typo, meant) => {
    const err = refusal(body({ [typo]: 'x' }));
    expect(err.code).toBe('invalid_instance');
    expect(err.message).toContain(`did you mean "${meant}"?`);
    expect(err.options.details).toEqual([{ path: `/configuration/${typo}`, message: `unknown key "${typo}"; did you mean "${meant}"?` }]);
  });

  it('when a top-level key or a poller resource key is mistyped, then it is refused with the suggestion too', () => {
    expect(refusal({ ...body({}), tgas: ['x'] }).message).toContain('did you mean "tags"?');
    const resource = { url: '/hubs/helpdesk/incidents', idFeild: 'sys_id', datesConfiguration: { updatedDateFeild: 'x' } };
    const err = refusal(body({ 'event.poller.configuration': { incidents: resource } }));
    expect((err.options.details as { message: string }[]).map((d) => d.message)).toEqual([
      'unknown key "idFeild"; did you mean "idField"?',
      'unknown key "updatedDateFeild"; did you mean "updatedDateField"?',
    ]);
  });

  it('when Cloud Elements internals or a masked secret are pasted from an instance answer, then internals warn and the mask is refused', () => {
    const instance = parseInstance(body({ 'bulk.query.date_mask': 'yyyy/MM/dd HH:mm:ss', 'pagination.max': '200', 'base.url': 'x', 'event.notification.subscription.id': null }, { id: 427251, token: 'kt6u…', valid: true }));
    expect(paths(instance.warnings)).toEqual(['/id', '/token', '/valid', '/configuration/bulk.query.date_mask', '/configuration/pagination.max', '/configuration/base.url', '/configuration/event.notification.subscription.id']);
    expect(instance.id).toBe('typo');
    expect(refusal(body({ password: '********' })).message).toMatch(/masked value/);
    expect(refusal(body({ 'event.poller.urls': 'accounts|/hubs/…' })).message).toMatch(/legacy .* not supported: write event.poller.configuration/);
  });

  it('when both servicenow.instance_url and a different servicenow.subdomain are given, then the URL is used and a warning says so', () => {
    const instance = parseInstance(body({ 'servicenow.instance_url': 'https://acme-dev.service-now.com' }));
    expect(instance.instanceUrl).toBe('https://acme-dev.service-now.com');
    expect(instance.warnings).toEqual([{ path: '/configuration/servicenow.subdomain', message: expect.stringContaining('https://acme-dev.service-now.com') }]);
    expect(parseInstance(body({ 'servicenow.instance_url': 'https://ACME.service-now.com/' })).warnings).toEqual([]);
  });

  it('when a signature key is not whsec_, then it is refused for CloudEvents and accepted for the cloud-elements format', () => {
    const plain = { 'event.notification.enabled': true, 'event.notification.callback.url': 'https://a.example.com', 'event.notification.signature.key': 'my-ce-key' };
    expect(refusal(body(plain)).message).toMatch(/set event.notification.format to cloud-elements/);
    expect(parseInstance(body({ ...plain, 'event.notification.format': 'cloud-elements' })).events).toMatchObject({ signatureKey: 'my-ce-key', format: 'cloud-elements' });
  });

  it('when the element is not a ServiceNow element (the docs\' sageone artefact), then 400 names it', () => {
    expect(refusal({ ...body({}), element: { key: 'sageone' } }).message).toMatch(/"sageone" is not a Cloud Elements ServiceNow element/);
  });

  it('when a poller spec is oversized or untranslatable, then creation is refused naming the resource', () => {
    const huge = `/hubs/helpdesk/incidents?where=${"${date:".repeat(12_000)}`;
    const err = refusal(body({ 'event.poller.configuration': { incidents: { url: huge } } }));
    expect(err.options.details).toEqual([{ path: '/configuration/event.poller.configuration/incidents/url', message: 'must NOT have more than 4096 characters' }]);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`r${i}`, { url: '/hubs/helpdesk/incidents' }]));
    expect(refusal(body({ 'event.poller.configuration': many })).options.details).toContainEqual(expect.objectContaining({ message: 'must NOT have more than 50 properties' }));
    const like = refusal(body({ 'event.poller.configuration': { incidents: { url: "/hubs/helpdesk/incidents?where=short_description LIKE 'a%b'" } } }));
    expect(like.message).toBe('/configuration/event.poller.configuration/incidents/url: LIKE with "%" inside the pattern has no ServiceNow form (use \'x%\', \'%x\' or \'%x%\')'.replace('LIKE', '"short_description": LIKE'));
  });
});

describe('the config file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-ce-'));
  const write = (name: string, instances: unknown[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ instances }));
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when it holds Cloud Elements bodies, then they load with their warnings', () => {
    const [a, b] = loadInstancesFile(write('ok.json', [basicPollingBody({ subdomain: 'dev1', callbackUrl: 'http://mycoolapp.com' }), basicAuthenticateBody('dev2')]));
    expect([a.id, b.id]).toEqual(['ce-polling', 'my-servicenow']);
    expect(paths(b.warnings)).toEqual(['/configuration/filter.response.nulls']);
  });

  it('when a key is mistyped, then loading stops with the did-you-mean message, and so does snowgate start', () => {
    const body = basicAuthenticateBody('dev2');
    const file = write('typo.json', [{ ...body, configuration: { ...(body.configuration as object), 'event.notifcation.callback.url': 'https://a.example.com' } }]);
    expect(() => loadInstancesFile(file)).toThrow(ConfigError);
    expect(() => loadInstancesFile(file)).toThrow('instances[0].configuration.event.notifcation.callback.url unknown key "event.notifcation.callback.url"; did you mean "event.notification.callback.url"?');
    const root = path.resolve(__dirname, '..', '..');
    const run = spawnSync(process.execPath, ['-r', path.join(root, 'tests/helpers/swc-register.js'), path.join(root, 'src/cli.ts'), 'start'], {
      cwd: dir, encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, SNOWGATE_CONFIG: file, REDIS_URL: 'redis://127.0.0.1:6379', PORT: '0', LOG_LEVEL: 'silent', SNOWGATE_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') },
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('did you mean "event.notification.callback.url"?');
  });
});
