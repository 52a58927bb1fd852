import { parseInstance } from '../../src/instances/parse-instance';
import { PollerFixture, pollingDefinition, until } from './poller-fixture';

const CASE = 'sn_customerservice_case';
const glideNow = () => new Date(Math.floor(Date.now() / 1000) * 1000);

describe('the poller, against the simulator with webhooks off', () => {
  let f: PollerFixture;
  beforeEach(async () => {
    // Hourly: the scheduler ticks once at start, the tests tick by hand.
    f = await new PollerFixture().start({ 'event.poller.refresh_interval': '60' });
  });
  afterEach(() => f.stop());

  it('when 500 cases change, then the scheduled ticks queue 500 distinct jobs within two ticks', async () => {
    f.registry.set(parseInstance(pollingDefinition(f.sim))); // every 1.2 s
    const ticks: number[] = [];
    let changed = false;
    const poller = await f.poller({}, { onTick: (r) => changed && ticks.push(r.resources.length) });
    await poller.tick('acme'); // first sight: the watermarks start now
    const ids = new Set<string>();
    for (let i = 0; i < 500; i++) ids.add(f.sim.store.insert(CASE, { short_description: `bulk ${i}` }).sys_id);
    changed = true;
    await until(async () => (await f.jobs()).filter((j) => ids.has(j.sysId)).length === 500 || ticks.length >= 2);
    await until(() => ticks.length >= 1);
    const jobs = (await f.jobs()).filter((j) => ids.has(j.sysId));
    expect(new Set(jobs.map((j) => j.sysId)).size).toBe(500);
    expect(jobs.length).toBe(500);
    expect(jobs.every((j) => j.source === 'poll' && j.operation === 'insert' && j.table === CASE)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(2);
  });

  it('when the poller restarts, then its watermark survives and only the new changes are queued', async () => {
    const first = await f.poller({ overlapMs: 2000 });
    await first.tick('acme');
    const a = f.sim.store.insert(CASE, { short_description: 'before restart' });
    const r1 = await first.tick('acme');
    expect(r1.resources.find((r) => r.resource === 'cases')?.queued).toBe(1);
    const mark = await first.watermarks.get('acme', 'cases');
    await first.close();

    const b = f.sim.store.insert(CASE, { short_description: 'while down' });
    const second = await f.poller({ overlapMs: 2000 });
    expect((await second.watermarks.get('acme', 'cases'))?.getTime()).toBe(mark?.getTime());
    const r2 = await second.tick('acme');
    const cases = r2.resources.find((r) => r.resource === 'cases')!;
    expect(cases.queued).toBe(1);
    const jobs = await f.jobs();
    expect(jobs.filter((j) => j.sysId === a.sys_id)).toHaveLength(1);
    expect(jobs.filter((j) => j.sysId === b.sys_id)).toHaveLength(1);
  });

  it('when one record is updated twice in the same second, then its latest state is queued and nothing is missed', async () => {
    const poller = await f.poller();
    await poller.tick('acme');
    f.sim.clock.set(glideNow());
    const c = f.sim.store.insert(CASE, { short_description: 'v0' });
    await poller.tick('acme');
    f.sim.store.update(CASE, c.sys_id, { short_description: 'v1' });
    f.sim.store.update(CASE, c.sys_id, { short_description: 'v2' });
    await poller.tick('acme');
    f.sim.store.update(CASE, c.sys_id, { short_description: 'v3' }); // still the same second as the watermark
    await poller.tick('acme');
    const versions = (await f.jobs()).filter((j) => j.sysId === c.sys_id).map((j) => `${j.sysModCount}:${j.record.short_description}`).sort();
    expect(versions).toEqual(['0:v0', '2:v2', '3:v3']);
  });

  it('when a case is deleted, then a delete job comes from sys_audit_delete', async () => {
    const poller = await f.poller();
    await poller.tick('acme');
    const c = f.sim.store.insert(CASE, { short_description: 'doomed' });
    await poller.tick('acme');
    f.sim.store.delete(CASE, c.sys_id);
    const r = await poller.tick('acme');
    expect(r.resources.find((x) => x.resource === 'cases#deletes')?.queued).toBe(1);
    const del = (await f.jobs()).filter((j) => j.sysId === c.sys_id && j.operation === 'delete');
    expect(del).toHaveLength(1);
    expect(del[0]).toMatchObject({ table: CASE, source: 'poll', record: { sys_id: c.sys_id } });
  });

  it('when many rows share one second and the page is small, then it pages on and queues each row once', async () => {
    const poller = await f.poller({ pageSize: 7 });
    await poller.tick('acme');
    f.sim.clock.set(glideNow());
    const ids = Array.from({ length: 40 }, (_, i) => f.sim.store.insert(CASE, { short_description: `same second ${i}` }).sys_id);
    f.sim.clock.advance(1000);
    const spread = Array.from({ length: 15 }, (_, i) => {
      f.sim.clock.advance(1000);
      return f.sim.store.insert(CASE, { short_description: `spread ${i}` }).sys_id;
    });
    const r = await poller.tick('acme');
    const cases = r.resources.find((x) => x.resource === 'cases')!;
    expect(cases.pages).toBeGreaterThan(55 / 7);
    const jobs = (await f.jobs()).filter((j) => ids.includes(j.sysId) || spread.includes(j.sysId));
    expect(jobs).toHaveLength(55);
    expect(new Set(jobs.map((j) => j.sysId)).size).toBe(55);
  });
});

describe('the poller with an offset-paged resource', () => {
  let f: PollerFixture;
  beforeEach(async () => {
    f = await new PollerFixture().start({
      'event.poller.configuration': {
        kb: { url: '/api/now/table/kb_knowledge?sysparm_query=sys_updated_on>=${gmtDate:yyyy-MM-dd}' },
      },
      'event.poller.refresh_interval': '60',
    });
  });
  afterEach(() => f.stop());

  it('when the template resolves to the day, then it pages by Link and X-Total-Count', async () => {
    const poller = await f.poller({ pageSize: 4 });
    await poller.tick('acme');
    const ids = Array.from({ length: 10 }, (_, i) => f.sim.store.insert('kb_knowledge', { short_description: `kb ${i}` }).sys_id);
    f.sim.stats.reset();
    const r = await poller.tick('acme');
    const kb = r.resources.find((x) => x.resource === 'kb')!;
    expect(kb.pages).toBe(3);
    expect(f.sim.stats.recentRequests.filter((q) => q.url.includes('kb_knowledge')).map((q) => /sysparm_offset=(\d+)/.exec(q.url)?.[1])).toEqual(['0', '4', '8']);
    const jobs = (await f.jobs()).filter((j) => ids.includes(j.sysId));
    expect(jobs.map((j) => j.sysId).sort()).toEqual([...ids].sort());
  });
});
