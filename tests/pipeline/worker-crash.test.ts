import { startSimulator, type Simulator } from '../../src/simulator';
import { startChildGateway, type ChildGateway } from '../helpers/child-gateway';
import { startEventSubscriber, type EventSubscriber } from '../helpers/event-subscriber';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { acmeInstance } from '../helpers/test-pipeline';
import { newSecret } from '../helpers/webhook-signing';

jest.setTimeout(60_000);

describe('when a worker process is killed mid-job', () => {
  let sim: Simulator;
  let api: TestGateway;
  let subscriber: EventSubscriber;
  const workers: ChildGateway[] = [];
  const prefix = uniquePrefix('crash');
  const webhookSecret = newSecret();
  const signatureKey = newSecret();

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true } });
    subscriber = await startEventSubscriber({ signatureKey });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill();
    sim.setWebhookTarget(null);
    await api?.close();
    await subscriber.close();
    await sim.close();
  });

  it('then another worker takes the job up again and the event is still delivered', async () => {
    const instance = acmeInstance({ simulatorUrl: sim.url, subscriberUrl: subscriber.url, webhookSecret, signatureKey });
    const env = { REDIS_URL: SHARED_REDIS_URL, SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_JOB_LOCK_MS: '1500', SNOWGATE_ROLE: 'worker', PORT: '0', SNOWGATE_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };
    api = await startTestGateway({ instances: [instance], env: { SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_ENCRYPTION_KEY: env.SNOWGATE_ENCRYPTION_KEY } });
    sim.setWebhookTarget({ gatewayUrl: api.url, instanceId: 'acme', secret: webhookSecret });

    const doomed = await startChildGateway(env, [instance]);
    workers.push(doomed);
    sim.knobs.latencyMs = 5000; // the enrichment read hangs while we pull the plug
    const kase = sim.store.list('sn_customerservice_case')[0];
    sim.store.update('sn_customerservice_case', kase.sys_id, { short_description: 'survives a crash' });

    let active = 0;
    for (let i = 0; i < 100 && active === 0; i++) {
      active = await api.queue.getActiveCount();
      if (!active) await new Promise((r) => setTimeout(r, 100));
    }
    expect(active).toBe(1);
    await doomed.kill();
    expect(subscriber.events).toHaveLength(0);

    sim.knobs.latencyMs = 0;
    workers.push(await startChildGateway(env, [instance]));
    const [delivered] = await subscriber.waitFor(1, 40_000);
    expect(delivered.event?.subject).toBe(kase.sys_id);
    expect((delivered.event?.data as { record: { short_description: string } }).record.short_description).toBe('survives a crash');
  });
});

describe('when a worker process holding several jobs is SIGKILLed, with the default job lock', () => {
  let sim: Simulator;
  let api: TestGateway;
  let subscriber: EventSubscriber;
  const workers: ChildGateway[] = [];
  const prefix = uniquePrefix('kill');
  const webhookSecret = newSecret();
  const signatureKey = newSecret();
  const CASES = 'sn_customerservice_case';

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true } });
    subscriber = await startEventSubscriber({ signatureKey });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill();
    sim.setWebhookTarget(null);
    await api?.close();
    await subscriber.close();
    await sim.close();
  });

  it('then its jobs run again on another worker and are delivered within 10 s of the kill, and a newer change of the same record is not held behind them longer', async () => {
    const instance = acmeInstance({ simulatorUrl: sim.url, subscriberUrl: subscriber.url, webhookSecret, signatureKey });
    const env = { REDIS_URL: SHARED_REDIS_URL, SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_ROLE: 'worker', PORT: '0', SNOWGATE_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64') };
    api = await startTestGateway({ instances: [instance], env: { SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_ENCRYPTION_KEY: env.SNOWGATE_ENCRYPTION_KEY } });
    sim.setWebhookTarget({ gatewayUrl: api.url, instanceId: 'acme', secret: webhookSecret });
    const doomed = await startChildGateway(env, [instance]);
    workers.push(doomed);
    const cases = sim.store.list(CASES).slice(0, 5);
    // one change first, so the OAuth token is fetched and stored (a worker killed mid-token-request holds the token lock, a story of its own)
    sim.store.update(CASES, cases.pop()!.sys_id, { short_description: 'warms the token' });
    await subscriber.waitFor(1, 20_000);

    sim.knobs.latencyMs = 30_000; // the enrichment reads hang while the worker dies
    for (const kase of cases) sim.store.update(CASES, kase.sys_id, { short_description: 'held by a dying worker' });
    let active = 0;
    for (let i = 0; i < 100 && active < cases.length; i++) {
      active = await api.queue.getActiveCount();
      if (active < cases.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(active).toBe(cases.length);
    workers.push(await startChildGateway(env, [instance])); // the survivor, running before the kill as in production

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
