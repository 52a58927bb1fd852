import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runStartCommand, type StartedGateway } from '../../src/commands/start-command';
import { InstanceStore } from '../../src/instances/instance-store';
import { QUEUE_NAMES } from '../../src/queues/queue-names';
import type { ReceivedEvent } from '../../src/sandbox/event-receiver';
import { SEED_IDS } from '../../src/simulator';
import { until } from '../poller/poller-fixture';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';
import { newSecret } from '../helpers/webhook-signing';

const OPERATOR_TOKEN = 'operator-admin-token-0123456789';
const CASE = 'sn_customerservice_case';

describe('snowgate start', () => {
  const prefix = uniquePrefix('start');
  const redis = new Redis(SHARED_REDIS_URL);
  const running: StartedGateway[] = [];
  let cwd: string;
  let printed: string;

  /** The environment of a start in this test: ports 0 (the machine's fixed ports may be taken), own prefix. */
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PORT: '0', HOST: '127.0.0.1', SNOWGATE_SIMULATOR_PORT: '0', REDIS_URL: SHARED_REDIS_URL, SNOWGATE_QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...extra,
  });

  async function start(extra: Record<string, string> = {}): Promise<StartedGateway> {
    printed = '';
    const started = await runStartCommand({ env: env(extra), cwd, handleSignals: false, print: (text) => (printed += text) });
    running.push(started);
    return started;
  }

  async function stop(started: StartedGateway): Promise<void> {
    running.splice(running.indexOf(started), 1);
    await started.snowgate.close();
  }

  async function events(started: StartedGateway): Promise<ReceivedEvent[]> {
    const res = await fetch(`${started.snowgate.http!.url}/sandbox/events`, { headers: { accept: 'application/json' } });
    return (await res.json()) as ReceivedEvent[];
  }

  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'snowgate-start-'));
  });
  afterEach(async () => {
    for (const started of running.splice(0)) await started.snowgate.close();
    await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
    fs.rmSync(cwd, { recursive: true, force: true });
  });
  afterAll(() => redis.disconnect());

  it('when instances exist only in Redis (created through the admin API), then a restart runs no sandbox and prints no token', async () => {
    const key = crypto.randomBytes(32);
    await new InstanceStore({ redis, target: { url: SHARED_REDIS_URL }, prefix, encryptionKey: key }).create({
      id: 'acme', name: 'acme', configuration: { 'servicenow.instance_url': 'https://acme.service-now.com', 'authentication.type': 'basic', username: 'u', password: 'p', 'webhook.secret': newSecret() },
    });
    const stdout = jest.spyOn(process.stdout, 'write');
    try {
      const started = await start({ SNOWGATE_ADMIN_TOKEN: OPERATOR_TOKEN, SNOWGATE_ENCRYPTION_KEY: key.toString('base64') });
      expect(started.decision).toEqual({ on: false, reason: '1 instance(s) created through the admin API are stored in Redis' });
      expect(started.sandbox).toBeUndefined();
      expect(started.snowgate.registry.list().map((i) => i.id)).toEqual(['acme']);
      expect((await fetch(`${started.snowgate.http!.url}/sandbox/events`)).status).toBe(404);
      expect(printed).toBe('');
      expect(stdout.mock.calls.map((c) => String(c[0])).join('')).not.toContain(OPERATOR_TOKEN);
      expect(fs.existsSync(path.join(cwd, '.snowgate', 'sandbox.json'))).toBe(false);
    } finally {
      stdout.mockRestore();
    }
  });

  it('when a process of a split deployment starts (SNOWGATE_ROLE=api), then it runs no sandbox and records no gateway for the other commands', async () => {
    const started = await start({ SNOWGATE_ROLE: 'api', SNOWGATE_ADMIN_TOKEN: OPERATOR_TOKEN });
    expect(started.decision.on).toBe(false);
    expect(started.sandbox).toBeUndefined();
    expect(fs.existsSync(path.join(cwd, '.snowgate', 'gateway.json'))).toBe(false);
  });

  it('when the sandbox restarts, then it keeps its identity (0600 files in .snowgate/), never prints an operator\'s token, and drops the previous run whole', async () => {
    const first = await start();
    const sandbox = first.sandbox!;
    const secret = sandbox.secrets.webhookSecret;
    const generatedToken = fs.readFileSync(path.join(cwd, '.snowgate', 'admin-token'), 'utf8').trim();
    expect(printed).toContain(`webhook secret     ${secret}`);
    expect(printed).toContain(`admin token        ${generatedToken}`);
    for (const file of ['admin-token', 'encryption-key', 'sandbox.json', 'gateway.json']) {
      expect(fs.statSync(path.join(cwd, '.snowgate', file)).mode & 0o777).toBe(0o600);
    }
    sandbox.simulator.store.update(CASE, SEED_IDS.case(0), { priority: '1' });
    await until(async () => (await events(first)).some((e) => e.event.subject === SEED_IDS.case(0)));
    // a change of this run still waiting for a retry when the gateway stops
    const leftover = { eventId: 'leftover-retry', instanceId: 'sandbox', table: CASE, sysId: SEED_IDS.case(2), operation: 'update' as const, sysUpdatedOn: '2026-01-01 00:00:00', sysModCount: '7', record: {}, source: 'webhook' as const, receivedAt: Date.now() };
    await first.snowgate.partitions[0].ingest.add(CASE, leftover, { jobId: leftover.eventId, delay: 60_000 });
    await stop(first);

    const second = await start({ SNOWGATE_ADMIN_TOKEN: OPERATOR_TOKEN });
    expect(second.sandbox!.secrets.webhookSecret).toBe(secret);
    expect(printed).toContain(`webhook secret     ${secret}`);
    expect(printed).not.toContain(OPERATOR_TOKEN);
    expect(printed).toContain('admin token        yours (SNOWGATE_ADMIN_TOKEN; not printed)');
    expect(printed).toContain('previous run\'s changes are dropped (1 unfinished jobs)');
    expect(await second.snowgate.partitions[0].ingest.getJob(leftover.eventId)).toBeUndefined();
    // the fresh simulator's first change has the same sys_mod_count as last run's: a new event, not a duplicate
    second.sandbox!.simulator.store.update(CASE, SEED_IDS.case(0), { priority: '1' });
    await until(async () => (await events(second)).some((e) => e.event.subject === SEED_IDS.case(0)));
    expect((await events(second)).map((e) => e.event.subject)).not.toContain(SEED_IDS.case(2));
  });

  it('when the banner\'s demo webhook is posted as printed, then its event\'s sequence and time agree with the data it carries', async () => {
    const started = await start();
    const curl = /curl -s -X POST (\S+) .*'Authorization: Bearer (\S+)' \\\n\s+-d '([^']+)'/.exec(printed)!;
    expect(curl).not.toBeNull();
    const [, url, bearer, body] = curl;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body });
    expect(res.status).toBe(202);
    const sent = JSON.parse(body) as { sys_id: string; sys_mod_count: string; sys_updated_on: string };
    await until(async () => (await events(started)).some((e) => e.event.subject === sent.sys_id));
    const { event } = (await events(started)).find((e) => e.event.subject === sent.sys_id)!;
    const data = event.data as { sys_mod_count: string; record: { sys_updated_on: string } };
    expect(event.sequence).toBe(data.sys_mod_count.padStart(10, '0'));
    expect(event.sequence).toBe(sent.sys_mod_count.padStart(10, '0'));
    expect(event.time).toBe(`${data.record.sys_updated_on.replace(' ', 'T')}.000Z`);
  });

  it.each(['PORT', 'SNOWGATE_SIMULATOR_PORT'])('when the port of %s is taken, then start stops with one line naming the variable and records no gateway', async (variable) => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const run = start({ [variable]: String(port) });
      await expect(run).rejects.toThrow(`port ${port} is taken (another snowgate?): stop what listens there or set ${variable} to a free port`);
      expect(running).toHaveLength(0);
      expect(fs.existsSync(path.join(cwd, '.snowgate', 'gateway.json'))).toBe(false);
    } finally {
      taken.close();
    }
  });

  it('when stopped while an enrichment is in flight, then the workers finish it before the simulator they read closes', async () => {
    const started = await start();
    const sim = started.sandbox!.simulator;
    sim.knobs.latencyMs = 800;
    const calls = sim.stats.apiRequests.table ?? 0;
    sim.store.update(CASE, SEED_IDS.case(1), { priority: '2' });
    await until(() => (sim.stats.apiRequests.table ?? 0) > calls);
    await stop(started);
    const ingest = new Queue(QUEUE_NAMES.ingest, { connection: redis, prefix });
    try {
      const jobs = await ingest.getJobs(['completed', 'failed', 'delayed', 'wait', 'active']);
      const job = jobs.find((j) => j.data.sysId === SEED_IDS.case(1));
      expect(await job?.getState()).toBe('completed');
      expect(job?.attemptsMade).toBe(1);
    } finally {
      await ingest.close();
    }
  });
});
