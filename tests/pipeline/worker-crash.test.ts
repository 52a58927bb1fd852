import type { InstanceDefinition } from '../../src/instances/instance';
import { startSimulator, type Simulator } from '../../src/simulator';
import { startChildGateway, type ChildGateway } from '../helpers/child-gateway';
import { startEventSubscriber, type EventSubscriber } from '../helpers/event-subscriber';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { acmeInstance } from '../helpers/test-pipeline';
import { newSecret } from '../helpers/webhook-signing';

jest.setTimeout(60_000);
const CASES = 'sn_customerservice_case';

/** The simulator, a subscriber, an api in this process, and worker processes that a test may SIGKILL. */
interface CrashRig {
  sim: Simulator;
  subscriber: EventSubscriber;
  api: TestGateway;
  /** Starts a worker process (the default job lock unless the rig was given one). */
  worker(): Promise<ChildGateway>;
  /** Resolves once the api's ingest queue shows `count` active jobs (a worker took them up). */
  active(count: number): Promise<number>;
  close(): Promise<void>;
}

async function crashRig(label: string, env: Record<string, string> = {}): Promise<CrashRig> {
  const sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true } });
  const webhookSecret = newSecret();
  const signatureKey = newSecret();
  const subscriber = await startEventSubscriber({ signatureKey });
  const instance: InstanceDefinition = acmeInstance({ simulatorUrl: sim.url, subscriberUrl: subscriber.url, webhookSecret, signatureKey });
  const shared = { SNOWGATE_QUEUE_PREFIX: uniquePrefix(label), SNOWGATE_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };
  const api = await startTestGateway({ instances: [instance], env: shared });
  sim.setWebhookTarget({ gatewayUrl: api.url, instanceId: 'acme', secret: webhookSecret });
  const workers: ChildGateway[] = [];
  return {
    sim,
    subscriber,
    api,
    async worker() {
      const child = await startChildGateway({ REDIS_URL: SHARED_REDIS_URL, SNOWGATE_ROLE: 'worker', PORT: '0', ...shared, ...env }, [instance]);
      workers.push(child);
      return child;
    },
    async active(count) {
      let active = 0;
      for (let i = 0; i < 100 && active < count; i++) {
        active = await api.queue.getActiveCount();
        if (active < count) await new Promise((r) => setTimeout(r, 100));
      }
      return active;
    },
    async close() {
      for (const w of workers) await w.kill();
      sim.setWebhookTarget(null);
      await api.close();
      await subscriber.close();
      await sim.close();
    },
  };
}

describe('when a worker process is killed mid-job', () => {
  let rig: CrashRig;
  beforeAll(async () => {
    rig = await crashRig('crash', { SNOWGATE_JOB_LOCK_MS: '1500' });
  });
  afterAll(() => rig?.close());

  it('then another worker takes the job up again and the event is still delivered', async () => {
    const { sim, subscriber } = rig;
    const doomed = await rig.worker();
    sim.knobs.latencyMs = 5000; // the enrichment read hangs while we pull the plug
    const kase = sim.store.list(CASES)[0];
    sim.store.update(CASES, kase.sys_id, { short_description: 'survives a crash' });
    expect(await rig.active(1)).toBe(1);
    await doomed.kill();
    expect(subscriber.events).toHaveLength(0);

    sim.knobs.latencyMs = 0;
    await rig.worker();
    const [delivered] = await subscriber.waitFor(1, 40_000);
    expect(delivered.event?.subject).toBe(kase.sys_id);
    expect((delivered.event?.data as { record: { short_description: string } }).record.short_description).toBe('survives a crash');
  });
});

describe('when a worker process holding several jobs is SIGKILLed, with the default job lock', () => {
  let rig: CrashRig;
  beforeAll(async () => {
    rig = await crashRig('kill');
  });
  afterAll(() => rig?.close());

  it('then its jobs run again on another worker and are delivered within 10 s of the kill, and a newer change of the same record is not held behind them longer', async () => {
    const { sim, subscriber } = rig;
    const doomed = await rig.worker();
    const cases = sim.store.list(CASES).slice(0, 5);
    // one change first, so the OAuth token is fetched and stored (a worker killed mid-token-request holds the token lock, a story of its own)
    sim.store.update(CASES, cases.pop()!.sys_id, { short_description: 'warms the token' });
    await subscriber.waitFor(1, 20_000);

    sim.knobs.latencyMs = 30_000; // the enrichment reads hang while the worker dies
    for (const kase of cases) sim.store.update(CASES, kase.sys_id, { short_description: 'held by a dying worker' });
    expect(await rig.active(cases.length)).toBe(cases.length);
    await rig.worker(); // the survivor, running before the kill as in production

    await doomed.kill();
    const killedAt = Date.now();
    sim.knobs.latencyMs = 0;
    const newer = sim.store.update(CASES, cases[0]!.sys_id, { short_description: 'newer, behind the held one' })!;
    const events = (await subscriber.waitFor(1 + cases.length + 1, 30_000)).slice(1);

    const late = events.map((d) => ({ subject: d.event!.subject, sequence: Number(d.event!.sequence), ms: d.receivedAt - killedAt }));
    process.stdout.write(`SIGKILLed worker's jobs delivered after ${late.map((e) => e.ms).join(', ')} ms (default job lock)\n`);
    expect(late.filter((e) => e.ms > 10_000)).toEqual([]);
    const first = late.filter((e) => e.subject === cases[0]!.sys_id).map((e) => e.sequence);
    expect(first).toEqual([Number(newer.sys_mod_count) - 1, Number(newer.sys_mod_count)]);
  });
});
