import request from 'supertest';
import { Metrics } from '../../src/ops/metrics';
import { deliveryMetricsHooks } from '../../src/ops/metrics-hooks';
import { ADMIN_TOKEN, startOpsGateway, type OpsGateway } from './ops-gateway';

describe('GET /metrics', () => {
  let gw: OpsGateway;

  beforeAll(async () => {
    gw = await startOpsGateway();
  });

  afterAll(async () => {
    await gw.close();
  });

  it('when scraped without the admin token, then 401', async () => {
    await request(gw.url).get('/metrics').expect(401);
  });

  it('when scraped, then Prometheus text carries process metrics, queue depth per state and the recorded snowgate_ metrics', async () => {
    await gw.snowgate.partitions[0].ingest.add('sn_customerservice_case', { instanceId: 'acme' } as never);
    gw.metrics.webhookReceived('acme', 'sn_customerservice_case', 'accepted', 0.004);
    gw.metrics.apiCall('acme', 'table', 200, 0.12);
    gw.metrics.tokenRefresh('acme', 'failed');
    gw.metrics.setRefreshTokenExpirySource(() => [{ instanceId: 'acme', seconds: 3600 }]);
    const hooks = deliveryMetricsHooks(gw.metrics);
    hooks.onAttempt({ kind: 'delivered', status: 200, durationMs: 35, eventId: 'e1', eventType: 'com.servicenow.case.updated', instanceId: 'acme', attempt: 1 });
    gw.metrics.endToEnd('acme', 'com.servicenow.case.updated', '2026-01-01 10:00:00', Date.parse('2026-01-01T10:00:03Z'));

    const res = await request(gw.url).get('/metrics').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toMatch(/^snowgate_process_cpu_user_seconds_total /m);
    expect(text).toContain('snowgate_queue_jobs{queue="ingest",state="waiting"} 1');
    expect(text).toContain('snowgate_queue_jobs{queue="deliver",state="failed"} 0');
    expect(text).toContain('snowgate_webhooks_received_total{instance_id="acme",table="sn_customerservice_case",outcome="accepted"} 1');
    expect(text).toContain('snowgate_servicenow_api_calls_total{instance_id="acme",api="table",status="200"} 1');
    expect(text).toContain('snowgate_token_refreshes_total{instance_id="acme",outcome="failed"} 1');
    expect(text).toContain('snowgate_refresh_token_expiry_seconds{instance_id="acme"} 3600');
    expect(text).toContain('snowgate_deliveries_total{instance_id="acme",outcome="delivered"} 1');
    expect(text).toContain('snowgate_end_to_end_seconds_bucket{le="5",instance_id="acme",type="com.servicenow.case.updated"} 1');
    for (const name of ['snowgate_ingest_duration_seconds', 'snowgate_job_duration_seconds', 'snowgate_delivery_duration_seconds', 'snowgate_poller_records_total', 'snowgate_dead_letters_total', 'snowgate_servicenow_api_duration_seconds']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('when Redis does not answer in time, then the scrape still answers, without queue depths', async () => {
    const metrics = new Metrics({ defaultMetrics: false, collectTimeoutMs: 50, queues: () => [{ name: 'stuck', getJobCounts: () => new Promise(() => undefined) }] });
    const started = Date.now();
    const { body } = await metrics.render();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(body).not.toContain('queue="stuck"');
  });
});
