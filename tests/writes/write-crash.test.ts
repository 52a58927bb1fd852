import { startSimulator, type Simulator } from '../../src/simulator';
import { clientSysId } from '../../src/queues/write-job';
import type { WriteView } from '../../src/writes/write-ledger';
import { startChildGateway, type ChildGateway } from '../helpers/child-gateway';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { acmeInstance } from '../helpers/test-pipeline';
import { newSecret } from '../helpers/webhook-signing';

jest.setTimeout(60_000);

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' };

describe('when a worker process is killed in the middle of a write', () => {
  let sim: Simulator;
  let api: TestGateway;
  const workers: ChildGateway[] = [];
  const prefix = uniquePrefix('wcrash');

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, knobs: { clientCredentialsEnabled: true } });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill();
    await api?.close();
    await sim.close();
  });

  async function write(title: string): Promise<string> {
    const res = await fetch(`${api.url}/instances/acme/writes`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ table: 'kb_knowledge', operation: 'insert', fields: { short_description: title } }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  async function settled(id: string): Promise<WriteView> {
    for (let i = 0; i < 300; i++) {
      const view = (await (await fetch(`${api.url}/instances/acme/writes/${id}`, { headers: ADMIN })).json()) as WriteView;
      if (view.status === 'succeeded' || view.status === 'dead') return view;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`write ${id} never settled`);
  }

  const articles = (title: string) => sim.store.list('kb_knowledge').filter((r) => r.short_description === title);

  it('then another worker takes the write up again and the record exists once', async () => {
    const instance = acmeInstance({ simulatorUrl: sim.url, subscriberUrl: 'http://127.0.0.1:9/events', webhookSecret: newSecret(), signatureKey: newSecret() });
    const env = { REDIS_URL: SHARED_REDIS_URL, SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_JOB_LOCK_MS: '1000', SNOWGATE_ROLE: 'worker', PORT: '0', SNOWGATE_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') };
    api = await startTestGateway({ instances: [instance], env: { SNOWGATE_QUEUE_PREFIX: prefix, SNOWGATE_ENCRYPTION_KEY: env.SNOWGATE_ENCRYPTION_KEY } });
    const doomed = await startChildGateway(env, [instance]);
    workers.push(doomed);
    expect((await settled(await write('warm-up: token in Redis'))).status).toBe('succeeded');

    sim.knobs.latencyMs = 2000; // the insert is in flight while we pull the plug (the lost-answer case: write-pipeline's dropped response)
    const id = await write('survives a crash');
    let active = 0;
    for (let i = 0; i < 100 && active === 0; i++) {
      active = await api.snowgate.partitions[0].write.getActiveCount();
      if (!active) await new Promise((r) => setTimeout(r, 50));
    }
    expect(active).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    await doomed.kill();
    expect((await api.snowgate.partitions[0].write.getJob(id))?.finishedOn).toBeUndefined();

    sim.knobs.latencyMs = 0;
    workers.push(await startChildGateway(env, [instance]));
    const view = await settled(id);
    expect(view).toMatchObject({ status: 'succeeded', result: { sys_id: clientSysId(id) } });
    expect(articles('survives a crash')).toHaveLength(1);
  });
});
