import { Redis } from 'ioredis';
import type { EventDetail, EventSummary, TimelineEntry } from '../../src/event-log/event-entry';
import { webhookIdFor } from '../../src/ingest/webhook-fields';
import { SEED_IDS, webhookBody } from '../../src/simulator';
import { signedHeaders } from '../helpers/webhook-signing';
import { patchCase, startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';

const ADMIN = 'Bearer test-admin-token-0123456789';
const CASES = 'sn_customerservice_case';

async function api(p: TestPipeline, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${p.gateway.url}${path}`, { method, headers: { authorization: ADMIN, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The event's page of the API once `done` holds (polled; the log is written without waiting). */
async function logged(p: TestPipeline, id: string, done: (e: EventDetail) => boolean): Promise<EventDetail> {
  let last: unknown;
  for (let i = 0; i < 150; i++) {
    const res = await api(p, 'GET', `/ops/api/events/${id}`);
    last = res.body;
    if (res.status === 200 && done(res.body as EventDetail)) return res.body as EventDetail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`event ${id} never got there: ${JSON.stringify(last)}`);
}

const stages = (e: EventDetail) => e.timeline.map((t) => (t.stage === 'received' || t.stage === 'duplicate' ? `${t.stage}:${t.source}` : t.stage === 'attempt' ? `attempt:${t.status ?? t.outcome}` : t.stage));
const attempts = (e: EventDetail) => e.timeline.filter((t): t is Extract<TimelineEntry, { stage: 'attempt' }> => t.stage === 'attempt');

/** Every value the event log holds under the gateway's prefix, as one text. */
async function everythingLogged(p: TestPipeline): Promise<string> {
  const redis = new Redis(p.gateway.settings.redisUrl);
  try {
    const keys = await redis.keys(`${p.gateway.settings.queuePrefix}:evlog:*`);
    const values = await Promise.all(keys.map(async (key) => {
      const type = await redis.type(key);
      if (type === 'hash') return JSON.stringify(await redis.hgetall(key));
      if (type === 'list') return (await redis.lrange(key, 0, -1)).join('\n');
      if (type === 'string') return (await redis.get(key)) ?? '';
      return (await redis.zrange(key, '0', '-1')).join(' ');
    }));
    return values.join('\n');
  } finally {
    redis.disconnect();
  }
}

describe('the event log, on the whole walk (simulator, gateway, real subscriber)', () => {
  jest.setTimeout(60_000);
  let p: TestPipeline;

  beforeAll(async () => {
    p = await startTestPipeline({
      configuration: { 'event.vendor.type': 'webhooks,polling', 'event.poller.refresh_interval': '0.05', capabilities: ['helpdesk'], 'event.notification.skip_own_writes': true },
      env: { SNOWGATE_DELIVERY_SCHEDULE: '100ms,200ms,400ms', SNOWGATE_WRITE_SCHEDULE: '100ms,200ms,400ms' },
    });
  });
  afterAll(() => p.close());
  beforeEach(() => p.subscriber.setResponses([]));

  it('when a webhook\'s event is delivered at the second attempt, then the log holds every stage: received, enriched, the 500 with its answer, the 200, delivered', async () => {
    p.subscriber.setResponses([{ status: 500, headers: { 'x-upstream': 'db', 'set-cookie': 'sid=s3cret-cookie' }, body: '{"error":"database down"}' }]);
    const kase = p.sim.store.list(CASES)[0];
    await patchCase(p.sim.url, kase.sys_id, { short_description: 'Printer on fire' });
    const first = await p.subscriber.waitForMatch((d) => d.event?.subject === kase.sys_id && d.status === 500, 0, 15_000);
    const id = String(first.event!.id);
    const second = await p.subscriber.waitForMatch((d) => d.event?.id === id && d.status === 204, 0, 15_000);

    const event = await logged(p, id, (e) => e.status === 'delivered');
    expect(event).toMatchObject({ kind: 'event', instanceId: 'acme', table: CASES, sysId: kase.sys_id, number: kase.number, type: 'com.servicenow.case.updated', source: 'webhook', attempts: 2 });
    // (the poller may read the change again meanwhile: its duplicates are the next test's)
    expect(stages(event).filter((s) => !s.startsWith('duplicate'))).toEqual(['received:webhook', 'enriched', 'attempt:500', 'attempt:204']);
    const received = event.timeline[0] as Extract<TimelineEntry, { stage: 'received' }>;
    expect(received).toMatchObject({ operation: 'update', sysModCount: p.sim.store.get(CASES, kase.sys_id)!.sys_mod_count, requestId: expect.any(String) });
    const enriched = event.timeline.find((t) => t.stage === 'enriched') as Extract<TimelineEntry, { stage: 'enriched' }>;
    expect(enriched.calls).toContainEqual(expect.objectContaining({ api: 'table', table: CASES, status: 200 }));
    expect(enriched.cache.state).toBe('miss');

    const [failed, delivered] = attempts(event);
    expect(failed).toMatchObject({ attempt: 1, inline: true, outcome: 'retryable', status: 500, retryInMs: expect.any(Number) });
    expect(failed.exchange).toMatchObject({ url: p.subscriber.url, responseBody: '{"error":"database down"}', responseHeaders: { 'x-upstream': 'db', 'set-cookie': '[redacted]' } });
    expect(failed.exchange!.requestHeaders).toMatchObject({ 'webhook-id': id, 'webhook-signature': '[redacted]', 'content-type': expect.stringMatching(/cloudevents\+json/) });
    expect(delivered).toMatchObject({ attempt: 2, jobId: id, outcome: 'delivered', status: 204 });
    // the body stored once is the CloudEvent the subscriber got
    expect(event.body).toEqual(JSON.parse(second.body));

    const logText = await everythingLogged(p);
    for (const secret of [first.headers['webhook-signature'], second.headers['webhook-signature'], 's3cret-cookie', p.signatureKey.slice(6), p.webhookSecret.slice(6), 'sandbox-secret', 'test-admin-token-0123456789']) {
      expect(logText).not.toContain(secret);
    }
  });

  it('when the same change is posted again and then read by the poller, then both are duplicates on the first event\'s timeline, with where they came from', async () => {
    const kase = p.sim.store.list(CASES)[1];
    await patchCase(p.sim.url, kase.sys_id, { priority: '1' });
    const delivery = await p.subscriber.waitForMatch((d) => d.event?.subject === kase.sys_id, 0, 15_000);
    const id = String(delivery.event!.id);
    const record = p.sim.store.get(CASES, kase.sys_id)!;
    const body = webhookBody({ table: CASES, operation: 'update', record });
    const again = await fetch(`${p.gateway.url}/webhooks/acme/${CASES}`, { method: 'POST', headers: { ...signedHeaders(p.webhookSecret, webhookIdFor(kase.sys_id, 'update', record.sys_mod_count!) + '-retry', body), 'x-request-id': 'resent-by-servicenow' }, body });
    expect(await again.json()).toEqual({ id, status: 'duplicate' });

    const event = await logged(p, id, (e) => e.timeline.some((t) => t.stage === 'duplicate' && t.source === 'poll'));
    expect(event.timeline).toContainEqual(expect.objectContaining({ stage: 'duplicate', source: 'webhook', requestId: 'resent-by-servicenow' }));
    expect(event.duplicates).toBeGreaterThanOrEqual(2);
    expect(event.status).toBe('delivered');
  });

  it('when a change reaches snowgate only through the poller, then its event is received from poll and delivered', async () => {
    p.sim.setWebhookTarget(null);
    try {
      const kase = p.sim.store.list(CASES)[2];
      await patchCase(p.sim.url, kase.sys_id, { short_description: 'Seen by the poller only' });
      const delivery = await p.subscriber.waitForMatch((d) => d.event?.subject === kase.sys_id, 0, 20_000);
      const event = await logged(p, String(delivery.event!.id), (e) => e.status === 'delivered');
      expect(stages(event).filter((s) => !s.startsWith('duplicate'))).toEqual(['received:poll', 'enriched', 'attempt:204']);
      expect(event.source).toBe('poll');
    } finally {
      p.sim.setWebhookTarget({ gatewayUrl: p.gateway.url, instanceId: 'acme', secret: p.webhookSecret });
    }
  });

  it('when the subscriber refuses an event, then it is dead-lettered in the log, and its replay from there delivers the same CloudEvent id', async () => {
    p.subscriber.setResponses([{ status: 400, body: 'no such tenant' }]);
    const kase = p.sim.store.list(CASES)[3];
    await patchCase(p.sim.url, kase.sys_id, { short_description: 'Refused once' });
    const refused = await p.subscriber.waitForMatch((d) => d.event?.subject === kase.sys_id && d.status === 400, 0, 15_000);
    const id = String(refused.event!.id);
    const dead = await logged(p, id, (e) => e.status === 'dead_lettered');
    expect(dead).toMatchObject({ reason: 'rejected', attempts: 1 });

    const listed = await api(p, 'GET', `/ops/api/events?status=dead_lettered&q=${kase.number}`);
    expect(listed.body.events.map((e: EventSummary) => e.id)).toEqual([id]);
    const replayed = await api(p, 'POST', `/ops/api/events/${id}/replay`);
    expect(replayed).toMatchObject({ status: 200, body: { id, kind: 'event', jobId: `${id}-r1` } });

    const again = await p.subscriber.waitForMatch((d) => d.event?.id === id && d.status === 204, 0, 15_000);
    expect(again.headers['webhook-id']).toBe(id);
    const event = await logged(p, id, (e) => e.status === 'delivered');
    expect(stages(event).filter((s) => !s.startsWith('duplicate'))).toEqual(['received:webhook', 'enriched', 'attempt:400', 'dead_lettered', 'received:replay', 'attempt:204']);
    expect(attempts(event)[1]).toMatchObject({ jobId: `${id}-r1`, status: 204 });
    expect(event.reason).toBeUndefined();
  });

  it('when a write goes into ServiceNow, then the log holds it (request with secrets redacted, ServiceNow\'s answer), finds it by number, and marks its echo skipped', async () => {
    const caseId = SEED_IDS.case(5);
    const accepted = await api(p, 'POST', '/instances/acme/writes', { table: CASES, operation: 'update', sys_id: caseId, fields: { work_notes: 'Synced from the helpdesk', u_api_token: 'tok-should-not-show' } });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    const write = await logged(p, id, (e) => e.status === 'succeeded');
    expect(write).toMatchObject({ kind: 'write', type: 'write.update', source: 'direct', sysId: caseId, number: p.sim.store.get(CASES, caseId)!.number, attempts: 1 });
    expect(write.body).toMatchObject({ table: CASES, operation: 'update', fields: { work_notes: 'Synced from the helpdesk', u_api_token: '[redacted]' } });
    expect(attempts(write)[0]).toMatchObject({ outcome: 'succeeded', status: 200, result: { sys_id: caseId, number: write.number } });
    expect(JSON.stringify(write)).not.toContain('tok-should-not-show');

    const byNumber = await api(p, 'GET', `/ops/api/events?kind=write&q=${write.number}`);
    expect(byNumber.body.events.map((e: EventSummary) => e.id)).toEqual([id]);
    // the work note and the case update it made come back as changes: skipped (skip_own_writes), tied to the write
    let echoes: EventSummary[] = [];
    for (let i = 0; i < 100 && echoes.length < 2; i++) {
      echoes = (await api(p, 'GET', `/ops/api/events?status=skipped&q=${caseId}`)).body.events;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(echoes.map((e) => [e.type, e.reason, e.writeId]).sort()).toEqual([
      ['com.servicenow.case.updated', 'skip_own_writes', id],
      ['com.servicenow.work_note.created', 'skip_own_writes', id],
    ]);
  });

  it('when a write is refused by ServiceNow, then it is dead-lettered in the log with ServiceNow\'s answer, and its replay from the log runs it again under the same write id', async () => {
    const accepted = await api(p, 'POST', '/instances/acme/writes', { table: 'u_no_such_table', operation: 'insert', fields: { short_description: 'nowhere' } });
    const id = accepted.body.id as string;
    const dead = await logged(p, id, (e) => e.status === 'dead_lettered');
    expect(dead).toMatchObject({ kind: 'write', reason: 'rejected', attempts: 1 });
    expect(attempts(dead)[0]).toMatchObject({ outcome: 'rejected', status: expect.any(Number) });
    expect(dead.timeline.at(-1)).toMatchObject({ stage: 'dead_lettered', reason: 'rejected', message: expect.any(String) });

    const replayed = await api(p, 'POST', `/ops/api/events/${id}/replay`);
    expect(replayed).toMatchObject({ status: 200, body: { id, kind: 'write', jobId: `${id}-r1` } });
    const again = await logged(p, id, (e) => e.attempts === 2 && e.status === 'dead_lettered');
    expect(stages(again)).toEqual(['received:direct', expect.stringMatching(/^attempt:4\d\d$/), 'dead_lettered', 'received:replay', expect.stringMatching(/^attempt:4\d\d$/), 'dead_lettered']);
    expect(attempts(again)[1]).toMatchObject({ jobId: `${id}-r1` });
  });

  it('when asked with a bad filter or for an unknown event, then 400 or 404 in the error shape; /ops leads to the log', async () => {
    expect((await fetch(`${p.gateway.url}/ops`, { redirect: 'manual' })).headers.get('location')).toBe('/ops/events');
    expect(await api(p, 'GET', '/ops/api/events?status=lost')).toMatchObject({ status: 400, body: { error: { code: 'invalid_filter' } } });
    expect(await api(p, 'GET', '/ops/api/events?cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, body: { error: { code: 'invalid_filter' } } });
    expect(await api(p, 'GET', '/ops/api/events/no-such-event-0000')).toMatchObject({ status: 404, body: { error: { code: 'event_not_found' } } });
    const page = await fetch(`${p.gateway.url}/ops/events/no-such-event-0000`, { headers: { ...{ authorization: ADMIN }, accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Not in the event log');
    expect((await fetch(`${p.gateway.url}/ops/api/events`)).status).toBe(401);
  });
});
