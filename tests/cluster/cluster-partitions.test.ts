import { webhookIdFor } from '../../src/ingest/webhook-fields';
import { webhookBody } from '../../src/simulator/webhook-emitter';
import { keysOn, onNode, ownerOf, startRedisCluster, type RedisCluster } from '../helpers/redis-cluster';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway';
import { acmeInstance, startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';
import { signedHeaders } from '../helpers/webhook-signing';

const CASES = 'sn_customerservice_case';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

/** Posts the webhook of a change of a case the test made itself (the simulator's business rule off), signed as ServiceNow would. */
async function postChange(url: string, secret: string, record: Record<string, string>): Promise<{ status: number; body: { id?: string; status?: string; error?: { code: string } } }> {
  const body = webhookBody({ table: CASES, operation: 'update', record });
  const res = await fetch(`${url}/webhooks/acme/${CASES}`, { method: 'POST', headers: signedHeaders(secret, webhookIdFor(record.sys_id!, 'update', record.sys_mod_count!), body), body });
  return { status: res.status, body: (await res.json()) as never };
}

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ replicas: 1, nodeTimeoutMs: 1000 });
}, 60_000);
afterAll(() => cluster?.stop());

const keyslot = (key: string) => onNode(cluster.ports[0]!, (r) => r.cluster('KEYSLOT', key) as Promise<number>);

describe('three partitions on a 3-master cluster (each with a replica), accepts acknowledged by a replica', () => {
  jest.setTimeout(60_000);
  let p: TestPipeline;

  beforeAll(async () => {
    // every group of webhooks as an intake job: the workers' fan-out claims on the cluster too
    p = await startTestPipeline({ redisUrl: cluster.seeds, env: { REDIS_CLUSTER: 'true', SNOWGATE_PARTITIONS: '3', SNOWGATE_REDIS_WAIT_REPLICAS: '1', SNOWGATE_INTAKE: 'always' } });
    await until(async () => ((await fetch(`${p.gateway.url}/readyz`)).status === 200 ? true : undefined), 15_000, 'ready');
  }, 60_000);
  afterAll(() => p?.close());

  /** A case of the seed whose record is routed to the partition on that master, and the partition. */
  async function caseOnMaster(master: number): Promise<{ sysId: string; partition: number }> {
    const { layout } = p.gateway.snowgate;
    for (const kase of p.sim.store.list(CASES)) {
      const partition = layout.ofRecord('acme', CASES, kase.sys_id);
      if ((await ownerOf(master, await keyslot(layout.prefix(partition)))) === master) return { sysId: kase.sys_id, partition };
    }
    throw new Error(`no seeded case routed to the master on ${master}`);
  }

  it("when cases change, then each partition's keys hash to its own slot on its own master, and the control data stays in the base slot", async () => {
    for (const kase of p.sim.store.list(CASES).slice(0, 12)) p.sim.store.update(CASES, kase.sys_id, { short_description: 'spread' });
    await p.subscriber.waitFor(12, 30_000);
    const { layout, partitions } = p.gateway.snowgate;
    // no command was refused on the cluster: every fan-out and enrichment went through at its first attempt
    const jobs = (await Promise.all(partitions.flatMap((q) => [q.intake.getJobs(['completed']), q.ingest.getJobs(['completed'])]))).flat();
    expect(jobs.filter((j) => j.attemptsMade !== 1).map((j) => `${j.queueName} ${j.id} ${j.attemptsMade}`)).toEqual([]);
    const owners = await Promise.all(layout.prefixes.map(async (prefix) => ownerOf(cluster.ports[0]!, await keyslot(prefix))));
    expect(new Set(owners).size).toBe(3);

    const byMaster = await Promise.all(cluster.ports.map(async (port) => ({ port, keys: await keysOn(port) })));
    const prefixes = [...layout.prefixes, layout.base];
    const misplaced: string[] = [];
    const kinds = new Map<string, Set<string>>();
    for (const { port, keys } of byMaster) {
      for (const key of keys) {
        const prefix = prefixes.find((candidate) => key.startsWith(`${candidate}:`));
        const slot = await keyslot(key);
        if (!prefix || slot !== (await keyslot(prefix)) || (await ownerOf(port, slot)) !== port) misplaced.push(key);
        else kinds.set(prefix, (kinds.get(prefix) ?? new Set()).add(key.slice(prefix.length + 1).split(/[:{]/)[0]!));
      }
    }
    expect(misplaced).toEqual([]);
    for (const prefix of layout.prefixes) expect([...kinds.get(prefix)!]).toEqual(expect.arrayContaining(['ingest', 'deliver', 'state', 'ready']));
    expect([...kinds.get(layout.base)!]).toEqual(expect.arrayContaining(['tokens', 'partitions', 'poll']));
    expect([...kinds.get(layout.base)!]).not.toContain('ingest');

    // the event log is spread over the partitions too (by event id), and read back across them
    expect(layout.prefixes.filter((prefix) => kinds.get(prefix)?.has('evlog')).length).toBeGreaterThanOrEqual(2);
    expect([...kinds.get(layout.base)!]).not.toContain('evlog');
    const { store } = p.gateway.snowgate.eventLog!;
    const seen: string[] = [];
    let cursor;
    do {
      const page = await store.list({ instanceId: 'acme', limit: 5, cursor });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.next;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of seen) expect(await store.get(id)).toMatchObject({ id, instanceId: 'acme' });
  });

  it("when the replica of a change's partition is paused, then the 202 waits until it has the job; paused past the wait, the answer is 503", async () => {
    const master = cluster.ports[1]!;
    const replica = cluster.replicaOf.get(master)!;
    const { sysId, partition } = await caseOnMaster(master);
    p.sim.setWebhookTarget(null);
    const change = (label: string) => p.sim.store.update(CASES, sysId, { short_description: label }) as Record<string, string>;

    cluster.signal(replica, 'SIGSTOP');
    let settled = false;
    const answer = postChange(p.gateway.url, p.webhookSecret, change('waits for a replica')).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 400));
    const settledWhilePaused = settled;
    cluster.signal(replica, 'SIGCONT');
    const accepted = await answer;
    expect(settledWhilePaused).toBe(false);
    expect(accepted).toMatchObject({ status: 202, body: { status: 'queued' } });
    const jobKey = `${p.gateway.snowgate.layout.prefix(partition)}:ingest:${accepted.body.id}`;
    expect(await onNode(replica, async (r) => (await r.call('READONLY'), r.exists(jobKey)))).toBe(1);

    cluster.signal(replica, 'SIGSTOP');
    try {
      const refused = await postChange(p.gateway.url, p.webhookSecret, change('no replica in time'));
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'queue_unavailable' } } });
    } finally {
      cluster.signal(replica, 'SIGCONT');
    }
  });
});

describe("a partition's master fails over", () => {
  jest.setTimeout(60_000);
  let gw: TestGateway;
  const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

  beforeAll(async () => {
    const instance = acmeInstance({ simulatorUrl: 'http://127.0.0.1:9', subscriberUrl: 'http://127.0.0.1:9/events', webhookSecret: secret, signatureKey: secret });
    gw = await startTestGateway({ instances: [instance], redisUrl: cluster.seeds, env: { REDIS_CLUSTER: 'true', SNOWGATE_PARTITIONS: '3' } });
    await until(async () => ((await fetch(`${gw.url}/readyz`)).status === 200 ? true : undefined), 15_000, 'ready');
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    // ioredis gives the socket to the killed node 2 s to close before it destroys it: let that timer run out here
    await new Promise((r) => setTimeout(r, 2100));
  });

  it('when the master serving a partition is killed, then /readyz answers 503 naming that partition, and 200 again once its replica took over', async () => {
    const { layout } = gw.snowgate;
    const partition = 2;
    const master = await ownerOf(cluster.ports[0]!, await keyslot(layout.prefix(partition)));
    const replica = cluster.replicaOf.get(master)!;
    cluster.signal(master, 'SIGKILL');

    const down = await until(async () => {
      const res = await fetch(`${gw.url}/readyz`);
      return res.status === 503 ? ((await res.json()) as { checks: { redis: { partitions: Record<string, string> } } }) : undefined;
    }, 10_000, '/readyz did not answer 503');
    expect(Object.keys(down.checks.redis.partitions)).toEqual([String(partition)]);

    await until(async () => ((await fetch(`${gw.url}/readyz`)).status === 200 ? true : undefined), 30_000, '/readyz did not recover');
    expect(await ownerOf(replica, await keyslot(layout.prefix(partition)))).toBe(replica);
    // a change of a record routed to the partition that failed over is accepted into it again
    const sysId = Array.from({ length: 100 }, (_, n) => n.toString(16).padStart(32, 'f')).find((id) => layout.ofRecord('acme', CASES, id) === partition)!;
    const record = { sys_id: sysId, sys_mod_count: '1', sys_updated_on: '2026-11-26 10:00:00', number: 'CS0099999', short_description: 'after failover' };
    const accepted = await postChange(gw.url, secret, record);
    expect(accepted).toMatchObject({ status: 202, body: { status: 'queued' } });
    expect((await gw.snowgate.partitions[partition]!.ingest.getJob(accepted.body.id!))?.data.sysId).toBe(record.sys_id);
  });
});
