import { readEnv } from '../../src/config/env';
import { webhookIdFor } from '../../src/ingest/webhook-fields';
import { webhookBody } from '../../src/simulator/webhook-emitter';
import { until } from '../poller/poller-fixture';
import { startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';
import { signedHeaders } from '../helpers/webhook-signing';

const CASES = 'sn_customerservice_case';

describe('the intake path end to end (SNOWGATE_INTAKE=always)', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ env: { SNOWGATE_INTAKE: 'always' } });
  });
  afterAll(() => p.close());

  it('when webhooks arrive together, then they go as intake jobs, are fanned out by the worker role, and each change is delivered once', async () => {
    const before = p.subscriber.events.length;
    p.sim.setWebhookTarget(null); // the test plays the business rules: all at once, one of them twice
    const records = p.sim.store.list(CASES).slice(0, 12).map((c) => p.sim.store.update(CASES, c.sys_id, { short_description: `together ${c.sys_id}` })!);
    p.sim.setWebhookTarget({ gatewayUrl: p.gateway.url, instanceId: p.instanceId, secret: p.webhookSecret });
    const post = (record: Record<string, string>) => {
      const body = webhookBody({ table: CASES, operation: 'update', record });
      const headers = signedHeaders(p.webhookSecret, webhookIdFor(record.sys_id, 'update', record.sys_mod_count), body);
      return fetch(`${p.gateway.url}/webhooks/${p.instanceId}/${CASES}`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string; status: string } }));
    };
    const answers = await Promise.all([...records, records[0]].map(post));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...records.map(() => 202)]);
    const ids = new Set(answers.filter((a) => a.status === 202).map((a) => a.body.id));
    expect(answers.find((a) => a.status === 200)?.body).toEqual({ id: expect.any(String), status: 'duplicate' });
    expect(ids.has(answers.find((a) => a.status === 200)!.body.id)).toBe(true);

    await until(async () => new Set(p.subscriber.events.slice(before).map((d) => d.event?.id)).size >= ids.size, 20_000);
    const delivered = p.subscriber.events.slice(before).map((d) => d.event?.id ?? '');
    expect(new Set(delivered)).toEqual(ids);
    expect(delivered).toHaveLength(ids.size); // none twice
    const fannedOut = (await p.gateway.snowgate.partitions[0].intake.getJobs(['completed'], 0, -1)).flatMap((j) => j.data.changes.map((c) => c.eventId));
    for (const id of ids) expect(fannedOut).toContain(id);
    for (const id of ids) expect(await p.gateway.queue.getJob(id)).toBeDefined(); // each change became its ingest job
  });

  it('SNOWGATE_INTAKE takes auto, always or never; anything else stops start-up naming it', () => {
    expect(readEnv({}).intake).toBe('auto');
    expect(readEnv({ SNOWGATE_INTAKE: 'never' }).intake).toBe('never');
    expect(() => readEnv({ SNOWGATE_INTAKE: 'sometimes' })).toThrow(/SNOWGATE_INTAKE/);
  });
});
