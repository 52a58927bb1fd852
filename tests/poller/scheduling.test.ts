import { Queue } from 'bullmq';
import { parseInstance } from '../../src/instances/parse-instance';
import { QUEUE_NAMES } from '../../src/queues/queue-names';
import { startTestGateway } from '../helpers/test-gateway';
import { PollerFixture, pollingDefinition, until } from './poller-fixture';

const CASE = 'sn_customerservice_case';

describe('poll scheduling across processes', () => {
  let f: PollerFixture;
  beforeEach(async () => {
    f = await new PollerFixture().start();
  });
  afterEach(() => f.stop());

  it('when two processes run the poller, then each tick polls each resource once', async () => {
    const ticks: Array<{ by: string; jobId?: string }> = [];
    f.sim.stats.reset();
    const a = await f.poller({}, { onTick: (_r, t) => ticks.push({ by: 'a', jobId: t.jobId }) });
    const b = await f.poller({}, { onTick: (_r, t) => ticks.push({ by: 'b', jobId: t.jobId }) });
    await until(() => ticks.length >= 3, 25_000);
    await a.close();
    await b.close();
    const jobIds = ticks.map((t) => t.jobId);
    expect(new Set(jobIds).size).toBe(jobIds.length);
    // Nothing changed, so each tick reads one page per resource: cases, case deletions, journal, attachments.
    expect(f.sim.stats.tableRequests[CASE]).toBe(ticks.length);
    expect(f.sim.stats.tableRequests.sys_audit_delete).toBe(ticks.length);
    expect(f.sim.stats.tableRequests.sys_journal_field).toBe(ticks.length);
  });

  it('when polling every 3 s, then changes made through the Table API are queued exactly once within a few intervals', async () => {
    f.registry.set(parseInstance({ ...pollingDefinition(f.sim), configuration: { ...f.instance.definition.configuration, 'event.poller.refresh_interval': '0.05' } }));
    let ticks = 0;
    await f.poller({}, { onTick: () => (ticks += 1) });
    await until(() => ticks >= 1);
    const auth = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`, 'content-type': 'application/json', accept: 'application/json' };
    const api = async (method: string, p: string, body: object) => {
      const res = await fetch(`${f.sim.url}/api/now/table/${p}`, { method, headers: auth, body: JSON.stringify(body) });
      return ((await res.json()) as { result: Record<string, string> }).result;
    };
    const queued = async () => (await f.jobs()).filter((j) => j.sysId === created.sys_id).length;
    const created = await api('POST', CASE, { short_description: 'via the Table API' });
    await until(async () => (await queued()) === 1, 15_000);
    await api('PATCH', `${CASE}/${created.sys_id}`, { priority: '1' });
    await until(async () => (await queued()) === 2, 15_000);
    const seenAt = ticks;
    await until(() => ticks >= seenAt + 2, 15_000); // one more tick re-reads the overlap: still no duplicate
    const jobs = (await f.jobs()).filter((j) => j.sysId === created.sys_id);
    expect(jobs.map((j) => `${j.operation}:${j.sysModCount}`).sort()).toEqual(['insert:0', 'update:1']);
  });

  it('when an instance stops polling, then its scheduler is removed; when it polls again, it comes back', async () => {
    await f.poller();
    const queue = new Queue(QUEUE_NAMES.poll, { connection: f.redis, prefix: f.prefix });
    try {
      expect((await queue.getJobScheduler('poll-acme'))?.every).toBe(1200);
      f.registry.set(parseInstance({ ...pollingDefinition(f.sim), configuration: { ...f.instance.definition.configuration, 'event.vendor.type': 'webhooks' } }));
      await until(async () => (await queue.getJobScheduler('poll-acme')) === undefined);
      f.registry.set(parseInstance({ ...pollingDefinition(f.sim), configuration: { ...f.instance.definition.configuration, 'event.poller.refresh_interval': '0.05' } }));
      await until(async () => (await queue.getJobScheduler('poll-acme'))?.every === 3000);
    } finally {
      await queue.close();
    }
  });

  it('when a webhook and a poll see the same changes, then each change is one job', async () => {
    const definition = { ...f.instance.definition, configuration: { ...f.instance.definition.configuration, 'event.vendor.type': 'webhooks,polling' } };
    const gateway = await startTestGateway({ instances: [definition], env: { SNOWGATE_QUEUE_PREFIX: f.prefix } });
    try {
      f.registry.set(parseInstance(definition));
      let duplicates = 0;
      const poller = await f.poller({}, { onPage: (_id, info) => (duplicates += info.duplicates) });
      await poller.tick('acme');
      f.sim.setWebhookTarget({ gatewayUrl: gateway.url, instanceId: 'acme', secret: (definition.configuration as Record<string, unknown>)['webhook.secret'] as string });
      const c = f.sim.store.insert(CASE, { short_description: 'both paths' });
      f.sim.store.update(CASE, c.sys_id, { comments: 'a customer comment' });
      await f.sim.webhooksIdle();
      expect(f.sim.stats.webhooks.sent).toBe(3);
      await poller.tick('acme');
      expect(duplicates).toBeGreaterThanOrEqual(2); // the poll saw the changes, and the dedupe folded them into the webhook's jobs
      const jobs = (await f.jobs()).filter((j) => j.sysId === c.sys_id || j.record.element_id === c.sys_id);
      expect(jobs.map((j) => `${j.table}:${j.operation}:${j.sysModCount}`).sort()).toEqual([
        `${CASE}:insert:0`, `${CASE}:update:1`, 'sys_journal_field:insert:0',
      ]);
      expect(jobs.every((j) => j.source === 'webhook')).toBe(true);
    } finally {
      f.sim.setWebhookTarget(null);
      await gateway.snowgate.close();
    }
  });
});
