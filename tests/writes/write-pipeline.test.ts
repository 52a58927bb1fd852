import { SEED_IDS } from '../../src/simulator';
import { clientSysId } from '../../src/queues/write-job';
import type { WriteView } from '../../src/writes/write-ledger';
import { startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';
import { APONO_TEMPLATE } from './fixtures';

const ADMIN = 'Bearer test-admin-token-0123456789';
const ACTION_TOKEN = 'apono-action-token-0123456789';
const FAST = { SNOWGATE_WRITE_SCHEDULE: '100ms,200ms,400ms,800ms,1600ms,3200ms,6400ms,12800ms,25600ms' };

const actions = {
  'access-log': {
    table: 'incident',
    operation: 'insert' as const,
    body: APONO_TEMPLATE,
    triggers: { field: 'event_type', in: ['RequestCreated', 'RequestApproved', 'RequestRejected', 'RequestGranted', 'RequestExpired', 'RequestFailed', 'Manual'] },
    auth: { bearer_token: ACTION_TOKEN },
  },
};

async function api(p: TestPipeline, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${p.gateway.url}${path}`, { method, headers: { authorization: ADMIN, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls the write's status until `done` says so (or 15 s pass). */
async function writeSettled(p: TestPipeline, id: string, done = (v: WriteView) => v.status === 'succeeded' || v.status === 'dead'): Promise<WriteView> {
  let last: WriteView | undefined;
  for (let i = 0; i < 150; i++) {
    last = (await api(p, 'GET', `/instances/acme/writes/${id}`)).body as WriteView;
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`write ${id} did not settle: ${JSON.stringify(last)}`);
}

function aponoEvent(id: string, name = 'Ada Lovelace'): string {
  return JSON.stringify({
    event_type: 'RequestCreated',
    data: { id, requester: { name, email: 'ada@example.com' }, justification: 'on call for "INC-7"\nrollback', access_groups: [{ integration: { name: 'PostgreSQL prod' } }] },
  });
}

const postEvent = (p: TestPipeline, body: string) => api(p, 'POST', '/actions/acme/access-log', body, { authorization: `Bearer ${ACTION_TOKEN}` });
const incidentsFor = (p: TestPipeline, requestId: string) => p.sim.store.list('incident').filter((r) => String(r.description ?? '').includes(`"id": "${requestId}"`));

describe('writes into ServiceNow, end to end', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ actions, env: FAST });
  });
  afterAll(() => p.close());

  it('when an access event is posted to the action, then one incident holds the rendered fields', async () => {
    const accepted = await postEvent(p, aponoEvent('req-100', 'Zoë "Z" O\'Brien 🚀'));
    expect(accepted).toMatchObject({ status: 202, body: { status: 'queued' } });
    const write = await writeSettled(p, accepted.body.id);
    expect(write).toMatchObject({ status: 'succeeded', table: 'incident', result: { sys_id: clientSysId(accepted.body.id), number: expect.stringMatching(/^INC/) } });
    const incidents = incidentsFor(p, 'req-100');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ sys_id: clientSysId(accepted.body.id), short_description: 'PostgreSQL prod', cause: 'RequestCreated', correlation_id: accepted.body.id });
    expect(incidents[0].description).toContain('"justification": "on call for "INC-7"\nrollback"');
  });

  it('when the same event is posted twice, then one incident', async () => {
    const first = await postEvent(p, aponoEvent('req-101'));
    const second = await postEvent(p, aponoEvent('req-101'));
    expect(second).toMatchObject({ status: 200, body: { id: first.body.id, status: 'duplicate' } });
    await writeSettled(p, first.body.id);
    expect(incidentsFor(p, 'req-101')).toHaveLength(1);
  });

  it('when ServiceNow commits the first insert but its answer is lost, then the retry finds it: still one incident', async () => {
    p.sim.knobs.dropNextWriteResponses = 1; // ServiceNow commits, then the socket is destroyed without an answer
    const accepted = await postEvent(p, aponoEvent('req-102'));
    const write = await writeSettled(p, accepted.body.id);
    expect(p.sim.knobs.dropNextWriteResponses).toBe(0);
    expect(write.status).toBe('succeeded');
    expect(write.attempts.map((a) => a.outcome)).toEqual(['retryable', 'found']);
    expect(incidentsFor(p, 'req-102')).toHaveLength(1);
  });

  it('when ServiceNow answers 429 with Retry-After, then the write waits it out and creates the record once', async () => {
    p.sim.knobs.rateLimitStorm = { retryAfterSec: 1 };
    const accepted = await api(p, 'POST', '/instances/acme/writes', { table: 'kb_knowledge', operation: 'insert', fields: { short_description: 'How to reset a token', text: '<p>Rotate it.</p>' } }, { 'idempotency-key': 'kb-429' });
    const throttled = await writeSettled(p, accepted.body.id, (v) => v.attempts.length > 0);
    p.sim.knobs.rateLimitStorm = null;
    expect(throttled.attempts[0]).toMatchObject({ outcome: 'retryable', status: 429, retryInMs: 1000 });
    const write = await writeSettled(p, accepted.body.id);
    expect(write).toMatchObject({ status: 'succeeded', result: { sys_id: clientSysId(accepted.body.id) } });
    expect(p.sim.store.list('kb_knowledge').filter((r) => r.short_description === 'How to reset a token')).toHaveLength(1);
  });

  it('when ServiceNow refuses a write (404), then it is dead with ServiceNow\'s error, and a replay once the record exists succeeds', async () => {
    const sysId = 'f'.repeat(31) + '1';
    const accepted = await api(p, 'POST', '/instances/acme/writes', { table: 'sn_customerservice_case', operation: 'update', sys_id: sysId, fields: { state: '10' } });
    const dead = await writeSettled(p, accepted.body.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: [{ outcome: 'rejected', status: 404 }], error: { status: 404, serviceNowMessage: 'No Record found' } });
    p.sim.store.insert('sn_customerservice_case', { sys_id: sysId, short_description: 'Arrived late' });
    expect((await api(p, 'POST', `/instances/acme/writes/${accepted.body.id}/replay`)).status).toBe(200);
    expect(await writeSettled(p, accepted.body.id)).toMatchObject({ status: 'succeeded', result: { sys_id: sysId, sys_mod_count: '1' } });
    expect(p.sim.store.get('sn_customerservice_case', sysId)?.state).toBe('10');
  });

  it('when a comment is written back to a case, then ServiceNow has its journal row, and the events it causes carry snowgatewrite', async () => {
    const caseId = SEED_IDS.case(3);
    const accepted = await api(p, 'POST', '/instances/acme/writes', { table: 'sn_customerservice_case', operation: 'update', sys_id: caseId, fields: { comments: 'Fixed on our side — please retry' } }, { 'idempotency-key': 'helpdesk-comment-1' });
    expect(accepted.status).toBe(202);
    expect((await writeSettled(p, accepted.body.id)).status).toBe('succeeded');
    const row = p.sim.store.list('sys_journal_field').find((r) => r.element_id === caseId && r.value === 'Fixed on our side — please retry');
    expect(row).toMatchObject({ element: 'comments', name: 'sn_customerservice_case' });
    const comment = await p.subscriber.waitForMatch((d) => d.event?.type === 'com.servicenow.comment.created' && d.event.subject === row!.sys_id);
    expect(comment.event?.snowgatewrite).toBe(accepted.body.id);
    const update = await p.subscriber.waitForMatch((d) => d.event?.type === 'com.servicenow.case.updated' && d.event.subject === caseId && d.event.snowgatewrite !== undefined);
    expect(update.event?.snowgatewrite).toBe(accepted.body.id);
  });

  it('then the writes show in the metrics and the queue counts', async () => {
    const metrics = await (await fetch(`${p.gateway.url}/metrics`, { headers: { authorization: ADMIN } })).text();
    expect(metrics).toMatch(/snowgate_writes_received_total\{instance_id="acme",door="direct",outcome="queued"\} [1-9]/);
    expect(metrics).toMatch(/snowgate_write_attempts_total\{instance_id="acme",outcome="succeeded",status="200"\} [1-9]/);
    expect(metrics).toMatch(/snowgate_write_dead_letters_total\{instance_id="acme",reason="rejected"\} [1-9]/);
    expect(metrics).toMatch(/snowgate_own_write_events_total\{instance_id="acme",handling="tagged"\} [1-9]/);
    const queues = (await api(p, 'GET', '/ops/api/queues')).body.queues as Array<{ name: string; counts: Record<string, number> }>;
    expect(queues.find((q) => q.name === 'write')?.counts.completed).toBeGreaterThanOrEqual(3);
  });
});

describe('with event.notification.skip_own_writes and writes.max_concurrency 2', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ configuration: { 'event.notification.skip_own_writes': true, 'writes.max_concurrency': 2 }, env: FAST });
  });
  afterAll(() => p.close());

  it('when many writes come at once, then ServiceNow never sees more than 2 in flight (its semaphore would answer 429)', async () => {
    Object.assign(p.sim.knobs, { latencyMs: 50, writeConcurrencyLimit: 2, writeQueueSize: 0 });
    try {
      const ids = await Promise.all(Array.from({ length: 12 }, async (_, i) => (await api(p, 'POST', '/instances/acme/writes', { table: 'kb_knowledge', operation: 'insert', fields: { short_description: `capped ${i}` } })).body.id as string));
      const views = await Promise.all(ids.map((id) => writeSettled(p, id)));
      expect(views.map((v) => v.status)).toEqual(ids.map(() => 'succeeded'));
      expect(views.flatMap((v) => v.attempts).filter((a) => a.status === 429)).toEqual([]);
      expect(p.sim.store.list('kb_knowledge').filter((r) => String(r.short_description).startsWith('capped '))).toHaveLength(12);
    } finally {
      Object.assign(p.sim.knobs, { latencyMs: 0, writeConcurrencyLimit: null, writeQueueSize: 50 });
    }
  });

  it('when a comment is written back, then its events are suppressed, while a person\'s comment after it is delivered', async () => {
    const caseId = SEED_IDS.case(4);
    const accepted = await api(p, 'POST', '/instances/acme/writes', { table: 'sn_customerservice_case', operation: 'update', sys_id: caseId, fields: { work_notes: 'Synced from the helpdesk' } });
    const written = await writeSettled(p, accepted.body.id);
    expect(written.status).toBe('succeeded');
    expect(p.sim.store.list('sys_journal_field').some((r) => r.element_id === caseId && r.value === 'Synced from the helpdesk')).toBe(true);
    await p.sim.webhooksIdle();
    p.sim.store.update('sn_customerservice_case', caseId, { comments: 'A person writes' }, { user: 'beth.anglin' });
    await p.subscriber.waitForMatch((d) => d.event?.type === 'com.servicenow.comment.created' && d.body.includes('A person writes'));
    await p.subscriber.waitForMatch((d) => d.event?.type === 'com.servicenow.case.updated' && d.event.subject === caseId);
    const ownSequence = written.result!.sys_mod_count!.padStart(10, '0');
    const own = p.subscriber.events.filter((d) => d.event?.type === 'com.servicenow.work_note.created' || d.event?.snowgatewrite !== undefined || (d.event?.subject === caseId && d.event?.sequence === ownSequence));
    expect(own.map((d) => d.event?.type)).toEqual([]);
    // the journal row and the case update it made were taken up, and completed as skipped
    const skipped = (await p.gateway.queue.getJobs(['completed'])).filter((j) => (j.returnvalue as { skipped?: string })?.skipped === 'own_write');
    expect(skipped.map((j) => [j.data.table, (j.returnvalue as { writeId: string }).writeId]).sort()).toEqual([
      ['sn_customerservice_case', accepted.body.id],
      ['sys_journal_field', accepted.body.id],
    ]);
  });
});
