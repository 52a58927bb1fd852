import { readEnv } from '../../src/config/env';
import { silentLogger } from '../../src/lib/logger';
import { startSnowgate } from '../../src/main';
import { PartitionLayout } from '../../src/queues/partition-layout';
import { startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';

const CASES = 'sn_customerservice_case';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

describe('PartitionLayout: where a record goes', () => {
  it('when there is one partition, then its prefix is the base prefix itself (the keys of a deployment from before partitions)', () => {
    const layout = new PartitionLayout('{snowgate}');
    expect(layout.prefixes).toEqual(['{snowgate}']);
    expect(layout.ofRecord('acme', CASES, 'a1')).toBe(0);
  });

  it('when a record is routed again, in any process, then it goes to the same partition; records spread over every partition', () => {
    const layout = new PartitionLayout('{snowgate}', 3);
    const again = new PartitionLayout('{snowgate}', 3);
    const records = Array.from({ length: 300 }, (_, i) => [`inst${i % 3}`, i % 2 ? CASES : 'incident', `sys${i}`] as const);
    expect(records.map((r) => again.ofRecord(...r))).toEqual(records.map((r) => layout.ofRecord(...r)));
    const counts = [0, 1, 2].map((p) => records.filter((r) => layout.ofRecord(...r) === p).length);
    expect(counts.every((n) => n > 60)).toBe(true);
    expect(new Set(layout.prefixes).size).toBe(3);
    expect(layout.prefixes.every((prefix) => /^\{snowgate-n3p\d(-\d+)?\}$/.test(prefix))).toBe(true);
  });
});

describe('three partitions on one Redis: webhook → enrichment → delivery', () => {
  jest.setTimeout(60_000);
  let p: TestPipeline;

  beforeAll(async () => {
    // every group of webhooks goes as an intake job, so the fan-out per partition is exercised too
    p = await startTestPipeline({ env: { SNOWGATE_PARTITIONS: '3', SNOWGATE_INTAKE: 'always', SNOWGATE_WORKER_CONCURRENCY: '12' } });
  });
  afterAll(() => p?.close());

  it('when 12 cases change 4 times each in quick succession, then every change is delivered once, in change order per record, each through the partition of its record', async () => {
    const cases = p.sim.store.list(CASES).slice(0, 12);
    const made: string[] = [];
    for (let round = 0; round < 4; round++) {
      for (const kase of cases) made.push(`${kase.sys_id}/${Number(p.sim.store.update(CASES, kase.sys_id, { short_description: `round ${round}` })!.sys_mod_count)}`);
    }
    await p.subscriber.waitFor(made.length, 40_000);

    const delivered = p.subscriber.events.map((d) => `${d.event!.subject}/${Number(d.event!.sequence)}`);
    expect([...delivered].sort()).toEqual([...made].sort()); // each change once: nothing lost, nothing twice
    const bySubject = new Map<string, number[]>();
    for (const d of p.subscriber.events) bySubject.set(d.event!.subject!, [...(bySubject.get(d.event!.subject!) ?? []), Number(d.event!.sequence)]);
    for (const sequences of bySubject.values()) expect(sequences).toEqual([...sequences].sort((a, b) => a - b));

    const { layout, partitions } = p.gateway.snowgate;
    const taken = await Promise.all(partitions.map((q) => q.ingest.getJobs(['completed'])));
    expect(taken.map((jobs) => jobs.length > 0)).toEqual([true, true, true]);
    const misrouted = taken.flatMap((jobs, i) => jobs.filter((j) => layout.ofRecord(j.data.instanceId, j.data.table, j.data.sysId) !== i));
    expect(misrouted).toEqual([]);
  });

  it('when writes go out through three partitions, then the same idempotency key is the same write, each is found by its id, and the changes a write made come back as snowgate\'s own', async () => {
    const write = async (key: string, body: unknown) => {
      const res = await fetch(`${p.gateway.url}/instances/acme/writes`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { id: string; status: string } };
    };
    const keys = ['kb-0', 'kb-1', 'kb-2', 'kb-3', 'kb-4', 'kb-5'];
    const firsts = await Promise.all(keys.map((key) => write(key, { table: 'kb_knowledge', operation: 'insert', fields: { short_description: key } })));
    const agains = await Promise.all(keys.map((key) => write(key, { table: 'kb_knowledge', operation: 'insert', fields: { short_description: key } })));
    expect(firsts.map((w) => w.status)).toEqual(keys.map(() => 202));
    expect(agains).toEqual(firsts.map((w) => ({ status: 200, body: { id: w.body.id, status: 'duplicate' } })));
    const used = await Promise.all(p.gateway.snowgate.partitions.map((q) => q.write.count().then(async (n) => n + (await q.write.getCompletedCount()))));
    expect(used.filter((n) => n > 0).length).toBeGreaterThan(1);

    const kase = p.sim.store.list(CASES)[13]!;
    const comment = await write('comment-1', { table: CASES, operation: 'update', sys_id: kase.sys_id, fields: { comments: 'Written through a partition' } });
    for (const { body } of [...firsts, comment]) {
      let status = '';
      for (let i = 0; i < 100 && status !== 'succeeded'; i++, await new Promise((r) => setTimeout(r, 100))) {
        status = ((await (await fetch(`${p.gateway.url}/instances/acme/writes/${body.id}`, { headers: ADMIN })).json()) as { status: string }).status;
      }
      expect(status).toBe('succeeded');
    }
    const echoed = await p.subscriber.waitForMatch((d) => d.event?.type === 'com.servicenow.comment.created' && d.body.includes('Written through a partition'), 0, 15_000);
    expect(echoed.event?.snowgatewrite).toBe(comment.body.id);
  });

  it('when operators look, then the ops API lists each queue of each partition, /metrics sums them per queue, and /readyz checks every partition', async () => {
    const queues = (await (await fetch(`${p.gateway.url}/ops/api/queues`, { headers: ADMIN })).json()) as { queues: Array<{ name: string; partition?: number }> };
    const ingest = queues.queues.filter((q) => q.name === 'ingest');
    expect(ingest.map((q) => q.partition)).toEqual([0, 1, 2]);
    expect(queues.queues.find((q) => q.name === 'poll')).not.toHaveProperty('partition');
    const metrics = await (await fetch(`${p.gateway.url}/metrics`, { headers: ADMIN })).text();
    expect(metrics.match(/^snowgate_queue_jobs\{queue="ingest",state="completed"\} \d+$/gm)).toHaveLength(1);
    const ready = await fetch(`${p.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: { redis: unknown } }).checks.redis).toEqual({ status: 'ok' });
  });

  it('when a process starts with another partition count than the deployment runs, then it refuses with one line naming the variable and the way to change it', async () => {
    const settings = { ...p.gateway.settings, partitions: 2, port: 0 };
    await expect(startSnowgate({ settings, instances: [], logger: silentLogger })).rejects.toThrow(
      /^SNOWGATE_PARTITIONS=2, but this deployment runs 3 partitions \(recorded in Redis at .*\): set SNOWGATE_PARTITIONS=3, or change the count with `npx snowgate partitions --set 2`/,
    );
    expect(() => readEnv({ SNOWGATE_PARTITIONS: '3', SNOWGATE_WORKER_PARTITIONS: '0,3' })).toThrow(/SNOWGATE_WORKER_PARTITIONS must list partitions from 0 to 2/);
  });
});
