import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBackfillCommand } from '../../src/commands/backfill-command';
import { LocalState } from '../../src/config/local-state';
import { InstanceStore } from '../../src/instances/instance-store';
import { ConfigError } from '../../src/lib/errors';
import { EventStore } from '../../src/event-log/event-store';
import { recordSandboxRun } from '../../src/sandbox/sandbox-identity';
import { newSandboxSecrets } from '../../src/sandbox/sandbox-instance';
import { SHARED_REDIS_URL } from '../helpers/redis-server';
import { PollerFixture } from '../poller/poller-fixture';

const CASE = 'sn_customerservice_case';
const SINCE = new Date('2025-09-01T00:00:00Z');

/** Runs `snowgate backfill` in a folder with the fixture's Redis prefix; answers what it wrote on stdout and stderr. */
async function backfill(f: PollerFixture, cwd: string, instanceId: string, env: NodeJS.ProcessEnv = {}): Promise<{ out: string; err: string }> {
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await runBackfillCommand({ instanceId, since: SINCE, pageSize: 8 }, { cwd, env: { REDIS_URL: SHARED_REDIS_URL, SNOWGATE_QUEUE_PREFIX: f.prefix, LOG_LEVEL: 'silent', ...env } });
    return { out: out.mock.calls.map((c) => String(c[0])).join(''), err: err.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

describe('snowgate backfill resolves instances as the running gateway does', () => {
  let f: PollerFixture;
  let dir: string;
  beforeEach(async () => {
    f = await new PollerFixture().start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-backfill-'));
  });
  afterEach(async () => {
    await f.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const backfilledCases = async () => (await f.jobs()).filter((j) => j.table === CASE && j.source === 'backfill');

  it('when the instance is in SNOWGATE_CONFIG, then it draws a progress bar and queues every case', async () => {
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ instances: [f.instance.definition] }));
    const { out, err } = await backfill(f, dir, 'acme', { SNOWGATE_CONFIG: config });
    expect(err).toContain('] 20/20 cases');
    expect(err).not.toContain('?');
    expect(out).toMatch(/backfill of acme complete: \d+ changes queued/);
    const cases = await backfilledCases();
    expect(cases).toHaveLength(20);
    // each change is in the event log too, received from the backfill (the command's close flushed the log)
    const logged = await new EventStore(f.redis, f.prefix).list({ instanceId: 'acme', table: CASE, limit: 100 });
    expect(logged.events.map((e) => e.id).sort()).toEqual(cases.map((c) => c.eventId).sort());
    expect(new Set(logged.events.map((e) => e.source))).toEqual(new Set(['backfill']));
  });

  it('when the instance was created through the admin API and npm start keeps the key in .snowgate/, then the command decrypts it with that key', async () => {
    const key = crypto.randomBytes(32);
    new LocalState(path.join(dir, '.snowgate')).write('encryption-key', key.toString('base64'));
    await new InstanceStore({ redis: f.redis, target: { url: SHARED_REDIS_URL }, prefix: f.prefix, encryptionKey: key }).create(f.instance.definition);
    const { out } = await backfill(f, dir, 'acme');
    expect(out).toMatch(/backfill of acme complete/);
    expect(await backfilledCases()).toHaveLength(20);
  });

  it('when the stored instance was encrypted with another key, then one line says which key the command used and nothing is queued', async () => {
    await new InstanceStore({ redis: f.redis, target: { url: SHARED_REDIS_URL }, prefix: f.prefix, encryptionKey: crypto.randomBytes(32) }).create(f.instance.definition);
    new LocalState(path.join(dir, '.snowgate')).write('encryption-key', crypto.randomBytes(32).toString('base64'));
    const run = backfill(f, dir, 'acme');
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/instance "acme" cannot be decrypted: .*\.snowgate\/encryption-key is not the key it was stored with/);
    expect(await backfilledCases()).toHaveLength(0);
  });

  it('when the sandbox ran in this folder, then --instance sandbox reads its simulator with the identity kept in .snowgate/', async () => {
    recordSandboxRun(new LocalState(path.join(dir, '.snowgate')), newSandboxSecrets(), { simulatorUrl: f.sim.url, gatewayUrl: 'http://127.0.0.1:9' });
    f.sim.knobs.clientCredentialsEnabled = true; // as the sandbox's own simulator has it
    const { out } = await backfill(f, dir, 'sandbox');
    expect(out).toMatch(/backfill of sandbox complete/);
    expect((await f.jobs()).filter((j) => j.instanceId === 'sandbox' && j.table === CASE)).toHaveLength(20);
  });

  it('when the sandbox never ran in this folder, then --instance sandbox fails with a line that says to start it here', async () => {
    await expect(backfill(f, dir, 'sandbox')).rejects.toThrow(/unknown instance "sandbox": the sandbox has not run in this folder .*npm start/);
    expect(await f.jobs()).toHaveLength(0);
  });
});
