import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordGateway, resolveConfig } from '../../src/config/resolve-config';
import { LocalState } from '../../src/config/local-state';
import { decideSandbox, type SandboxInputs } from '../../src/sandbox/sandbox-decision';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-resolve-'));
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('resolveConfig: every command sees what npm start sees', () => {
  it('when start generates the encryption key and admin token, then they are kept owner-only in .snowgate/ and every later command reads the same ones', () => {
    const cwd = tmp();
    const started = resolveConfig({ env: {}, cwd, forStart: true });
    expect([started.encryptionKeySource, started.adminTokenSource]).toEqual(['created', 'created']);
    expect(modeOf(path.join(cwd, '.snowgate'))).toBe(0o700);
    for (const file of ['encryption-key', 'admin-token']) expect(modeOf(path.join(cwd, '.snowgate', file))).toBe(0o600);

    const restarted = resolveConfig({ env: {}, cwd, forStart: true });
    const command = resolveConfig({ env: {}, cwd });
    for (const later of [restarted, command]) {
      expect(later.settings.encryptionKey.equals(started.settings.encryptionKey)).toBe(true);
      expect(later.settings.adminToken).toBe(started.settings.adminToken);
      expect(later.encryptionKeySource).toBe('local');
    }
  });

  it('when the environment gives the key and token, then they win and nothing is written', () => {
    const cwd = tmp();
    const key = crypto.randomBytes(32).toString('base64');
    const resolved = resolveConfig({ env: { SNOWGATE_ENCRYPTION_KEY: key, SNOWGATE_ADMIN_TOKEN: 'operator-token-0123456789' }, cwd, forStart: true });
    expect(resolved.settings.encryptionKey.toString('base64')).toBe(key);
    expect([resolved.encryptionKeySource, resolved.adminTokenSource]).toEqual(['env', 'env']);
    expect(fs.existsSync(path.join(cwd, '.snowgate'))).toBe(false);
  });

  it('when a command runs where start never ran, then it creates nothing and says its key is its own', () => {
    const cwd = tmp();
    expect(resolveConfig({ env: {}, cwd }).encryptionKeySource).toBe('ephemeral');
    expect(fs.existsSync(path.join(cwd, '.snowgate'))).toBe(false);
  });

  it('when start recorded its gateway, then commands use its URL, Redis and prefix unless the environment says otherwise; start itself never reads it', () => {
    const cwd = tmp();
    recordGateway(LocalState.of(cwd), { publicUrl: 'http://localhost:3400', redisUrl: 'redis://127.0.0.1:6390', redisCluster: false, queuePrefix: '{mine}' });
    const command = resolveConfig({ env: {}, cwd }).settings;
    expect([command.publicUrl, command.redisUrl, command.queuePrefix]).toEqual(['http://localhost:3400', 'redis://127.0.0.1:6390', '{mine}']);
    const own = resolveConfig({ env: { REDIS_URL: 'redis://10.0.0.1:6379', SNOWGATE_QUEUE_PREFIX: '{theirs}' }, cwd }).settings;
    expect([own.redisUrl, own.queuePrefix]).toEqual(['redis://10.0.0.1:6379', '{theirs}']);
    expect(resolveConfig({ env: {}, cwd, forStart: true }).settings.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(resolveConfig({ env: { PORT: '8080' }, cwd }).settings.publicUrl).toBe('http://localhost:8080');
    expect(resolveConfig({ env: { SNOWGATE_PUBLIC_URL: 'https://gw.example.com' }, cwd }).settings.publicUrl).toBe('https://gw.example.com');
    expect(resolveConfig({ env: {}, cwd, forStart: true }).settings.publicUrl).toBe('http://localhost:3000');
  });

  it('when SNOWGATE_SIMULATOR_PORT is not a port, then the message names it', () => {
    expect(resolveConfig({ env: {}, cwd: tmp() }).settings.simulatorPort).toBe(3100);
    expect(() => resolveConfig({ env: { SNOWGATE_SIMULATOR_PORT: 'x' }, cwd: tmp() })).toThrow(/SNOWGATE_SIMULATOR_PORT must be an integer/);
  });
});

describe('decideSandbox', () => {
  const none: SandboxInputs = { role: 'all', configInstances: 0, storedInstances: 0 };
  it.each<[string, Partial<SandboxInputs>, boolean]>([
    ['nothing configured anywhere', {}, true],
    ['instances only in Redis (admin API)', { storedInstances: 2 }, false],
    ['a config file, even {"instances": []}', { configPath: 'snowgate.json' }, false],
    ['instances in the config file', { configPath: 'snowgate.json', configInstances: 1 }, false],
    ['a split deployment (SNOWGATE_ROLE=api)', { role: 'api' }, false],
    ['SNOWGATE_SANDBOX=false with nothing configured', { forced: false }, false],
    ['SNOWGATE_SANDBOX=true with instances in Redis', { forced: true, storedInstances: 2 }, true],
  ])('when %s, then the sandbox runs: %s', (_case, inputs, on) => {
    const decision = decideSandbox({ ...none, ...inputs });
    expect(decision.on).toBe(on);
    expect(decision.reason).not.toBe('');
  });
});
