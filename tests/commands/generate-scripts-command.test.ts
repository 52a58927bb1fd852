import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { runGenerateScriptsCommand } from '../../src/commands/generate-scripts-command';
import { LocalState } from '../../src/config/local-state';
import { recordGateway } from '../../src/config/resolve-config';
import { InstanceStore } from '../../src/instances/instance-store';
import { ConfigError } from '../../src/lib/errors';
import { TEST_SECRET } from '../business-rules/helpers/fixtures';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-scripts-'));
const PREFIX = uniquePrefix('scripts');
/** The shared Redis under this file's own prefix, so that no other run's instances are seen. */
const REDIS = { REDIS_URL: SHARED_REDIS_URL, SNOWGATE_QUEUE_PREFIX: PREFIX };

async function cli(args: { instance?: string; out?: string; publicUrl?: string }, env: NodeJS.ProcessEnv = {}, cwd = tmp(), now = new Date('2026-11-22T10:00:00Z')) {
  const lines: string[] = [];
  await runGenerateScriptsCommand({ out: 'servicenow-scripts', ...args }, { env: { ...REDIS, ...env }, cwd, print: (l) => lines.push(l), now: () => now });
  return { lines, cwd };
}

const acme = (configuration: Record<string, unknown> = {}) => ({ id: 'acme', name: 'Acme', configuration: {
  'servicenow.instance_url': 'https://acme.service-now.com', 'authentication.type': 'basic', username: 'u', password: 'p', 'webhook.secret': TEST_SECRET, ...configuration } });

describe('snowgate generate-scripts', () => {
  afterAll(() => deleteKeys(SHARED_REDIS_URL, `${PREFIX}*`));

  it('with no instance configured, writes the sandbox files into servicenow-scripts/ with SNOWGATE_PUBLIC_URL', async () => {
    const { cwd } = await cli({}, { SNOWGATE_PUBLIC_URL: 'https://gw.example.com/' });
    const dir = path.join(cwd, 'servicenow-scripts');
    expect(fs.readdirSync(dir).sort()).toEqual(['README.md', 'sn_customerservice_case.js', 'sys_attachment.js', 'sys_journal_field.js', 'update-set.xml']);
    expect(fs.readFileSync(path.join(dir, 'update-set.xml'), 'utf8')).toContain('https://gw.example.com/webhooks/sandbox');
  });

  it('when npm start recorded its gateway in .snowgate/ (PORT=3400), then a second terminal without PORT writes URLs for that gateway', async () => {
    const cwd = tmp();
    recordGateway(LocalState.of(cwd), { publicUrl: 'http://localhost:3400', redisUrl: SHARED_REDIS_URL, redisCluster: false, queuePrefix: PREFIX });
    await cli({}, {}, cwd);
    expect(fs.readFileSync(path.join(cwd, 'servicenow-scripts/README.md'), 'utf8')).toContain('http://localhost:3400/webhooks/sandbox');
    await cli({ out: 'own-port' }, { PORT: '8080' }, cwd);
    expect(fs.readFileSync(path.join(cwd, 'own-port/README.md'), 'utf8')).toContain('http://localhost:8080/webhooks/sandbox');
  });

  it('defaults the URL to http://localhost:$PORT and honours --out and --instance, warning about an instance found nowhere', async () => {
    const { cwd, lines } = await cli({ instance: 'acme', out: 'out/rules' }, { PORT: '8080' });
    expect(fs.readFileSync(path.join(cwd, 'out/rules/README.md'), 'utf8')).toContain('http://localhost:8080/webhooks/acme');
    expect(lines[0]).toMatch(/^warning: unknown instance "acme": .*generating for "acme" with the default tables anyway$/);
  });

  it('with SNOWGATE_CONFIG, picks its only instance and its extra tables', async () => {
    const dir = tmp();
    const config = path.join(dir, 'snowgate.json');
    fs.writeFileSync(config, JSON.stringify({ instances: [acme({ 'webhook.tables': ['kb_knowledge'] })] }));
    await cli({}, { SNOWGATE_CONFIG: config }, dir);
    expect(fs.readdirSync(path.join(dir, 'servicenow-scripts'))).toContain('kb_knowledge.js');
    for (const f of fs.readdirSync(path.join(dir, 'servicenow-scripts'))) {
      expect(fs.readFileSync(path.join(dir, 'servicenow-scripts', f), 'utf8')).not.toContain(TEST_SECRET.slice(6));
    }
  });

  it('when the instance was created through the admin API, then its extra tables come from Redis, decrypted with the key kept in .snowgate/', async () => {
    const cwd = tmp();
    const key = crypto.randomBytes(32);
    LocalState.of(cwd).write('encryption-key', key.toString('base64'));
    const redis = new Redis(SHARED_REDIS_URL);
    try {
      await new InstanceStore({ redis, target: { url: SHARED_REDIS_URL }, prefix: PREFIX, encryptionKey: key }).create({ ...acme({ 'webhook.tables': ['kb_knowledge'] }), id: 'stored' });
    } finally {
      redis.disconnect();
    }
    const { lines } = await cli({ instance: 'stored' }, {}, cwd);
    expect(fs.readdirSync(path.join(cwd, 'servicenow-scripts'))).toContain('kb_knowledge.js');
    expect(lines.some((l) => l.startsWith('warning'))).toBe(false);
  });

  it('regenerating an unchanged bundle later rewrites nothing (the update set keeps its date)', async () => {
    const { cwd } = await cli({ out: 'o' });
    const before = fs.readFileSync(path.join(cwd, 'o/update-set.xml'), 'utf8');
    const again = await cli({ out: 'o' }, {}, cwd, new Date('2027-01-01T00:00:00Z'));
    expect(again.lines.some((l) => l.includes('wrote'))).toBe(false);
    expect(fs.readFileSync(path.join(cwd, 'o/update-set.xml'), 'utf8')).toBe(before);
    const moved = await cli({ out: 'o', publicUrl: 'https://elsewhere.example.com' }, {}, cwd, new Date('2027-01-01T00:00:00Z'));
    expect(moved.lines).toContain('  wrote update-set.xml');
    expect(fs.readFileSync(path.join(cwd, 'o/update-set.xml'), 'utf8')).toContain('unload_date="2027-01-01 00:00:00"');
  });

  it('rejects ids that are not instance ids and a bad SNOWGATE_PUBLIC_URL, writing nothing', async () => {
    const cwd = tmp();
    await expect(cli({ instance: '../etc' }, {}, cwd)).rejects.toThrow(/not an instance id/);
    await expect(cli({}, { SNOWGATE_PUBLIC_URL: 'ftp://x' }, cwd)).rejects.toThrow(ConfigError);
    expect(fs.existsSync(path.join(cwd, 'servicenow-scripts'))).toBe(false);
  });
});
