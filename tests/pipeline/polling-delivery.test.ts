import { patchCase, SIM_ADMIN_AUTH, startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';

const CASES = 'sn_customerservice_case';
/** Waits until no new delivery arrived for `quietMs` (bounded by `maxMs`). */
async function settle(p: TestPipeline, quietMs: number, maxMs: number): Promise<void> {
  const end = Date.now() + maxMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    if (p.subscriber.events.length !== last) {
      last = p.subscriber.events.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const subjectsOf = (p: TestPipeline) => p.subscriber.events.map((d) => `${d.event?.subject}@${(d.event?.data as any)?.sys_mod_count}`);

describe('polling fallback, end to end', () => {
  jest.setTimeout(60_000);

  it('with event.vendor.type polling and a 3 s interval, changes made through the Table API reach the subscriber exactly once each', async () => {
    const p = await startTestPipeline({ webhooks: false, configuration: { 'event.vendor.type': 'polling', 'event.poller.refresh_interval': '0.05', capabilities: ['helpdesk'] } });
    try {
      await new Promise((r) => setTimeout(r, 500)); // let the first tick set the watermark at "now"
      const cases = p.sim.store.list(CASES).slice(0, 5);
      for (const [i, c] of cases.entries()) await patchCase(p.sim.url, c.sys_id, { short_description: `polled change ${i}` });
      const got = await p.subscriber.waitFor(5, 20_000);
      await settle(p, 4000, 15_000); // two more intervals: nothing else may arrive
      expect(p.subscriber.events).toHaveLength(5);
      expect(new Set(got.map((d) => d.event?.subject))).toEqual(new Set(cases.map((c) => c.sys_id)));
      for (const d of got) {
        expect(d.signatureValid).toBe(true);
        expect(d.event?.type).toBe('com.servicenow.case.updated');
        expect(d.event?.snowgatesource).toBe('poll');
        expect((d.event?.data as any).record.short_description).toMatch(/^polled change \d$/);
      }
    } finally {
      await p.close();
    }
  });

  it('with webhooks off, 500 changes all arrive as 500 distinct events', async () => {
    const p = await startTestPipeline({ webhooks: false, configuration: { 'event.vendor.type': 'polling', 'event.poller.refresh_interval': '0.05', capabilities: ['helpdesk'] } });
    try {
      await new Promise((r) => setTimeout(r, 500));
      const ids: string[] = [];
      for (let i = 0; i < 500; i++) ids.push(p.sim.store.insert(CASES, { short_description: `bulk ${i}`, priority: '4' }).sys_id);
      await p.subscriber.waitFor(500, 45_000);
      await settle(p, 3500, 10_000);
      // at-least-once: a delivery that outlived its inline timeout on a loaded machine is sent again under the same id,
      // so the count that matters is of distinct event ids — one per change, each for its own record
      const byId = new Map(p.subscriber.events.map((d) => [d.event?.id, d.event?.subject]));
      expect(byId.size).toBe(500);
      expect(new Set(byId.values())).toEqual(new Set(ids));
      expect(p.subscriber.events.every((d) => d.event?.type === 'com.servicenow.case.created')).toBe(true);
    } finally {
      await p.close();
    }
  });

  it('with webhooks and the poller both on, each change is delivered once, not twice', async () => {
    const p = await startTestPipeline({ configuration: { 'event.vendor.type': 'webhooks,polling', 'event.poller.refresh_interval': '0.05', capabilities: ['helpdesk'] } });
    try {
      await new Promise((r) => setTimeout(r, 500));
      const cases = p.sim.store.list(CASES).slice(5, 9);
      for (const [i, c] of cases.entries()) await patchCase(p.sim.url, c.sys_id, { short_description: `both paths ${i}` });
      await p.subscriber.waitFor(4, 20_000);
      await settle(p, 4000, 15_000);
      const seen = subjectsOf(p);
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
    } finally {
      await p.close();
    }
  });

  it('a case deleted while webhooks are off arrives as a .deleted event through sys_audit_delete', async () => {
    const p = await startTestPipeline({ webhooks: false, configuration: { 'event.vendor.type': 'polling', 'event.poller.refresh_interval': '0.05', capabilities: ['helpdesk'] } });
    try {
      await new Promise((r) => setTimeout(r, 500));
      const victim = p.sim.store.list(CASES)[12];
      const res = await fetch(`${p.sim.url}/api/now/table/${CASES}/${victim.sys_id}`, { method: 'DELETE', headers: { accept: 'application/json', authorization: SIM_ADMIN_AUTH } });
      expect(res.status).toBe(204);
      const got = await p.subscriber.waitFor(1, 20_000);
      const deleted = got.find((d) => d.event?.type === 'com.servicenow.case.deleted');
      expect(deleted?.event?.subject).toBe(victim.sys_id);
    } finally {
      await p.close();
    }
  });
});
