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
