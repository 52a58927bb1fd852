import { webhookIdFor } from '../../src/ingest/webhook-fields';
import { webhookBody } from '../../src/simulator/webhook-emitter';
import { signedHeaders } from '../helpers/webhook-signing';
import { patchCase, SIM_ADMIN_AUTH, startTestPipeline, type TestPipeline } from '../helpers/test-pipeline';

const CASES = 'sn_customerservice_case';

const tableReads = (p: TestPipeline, table: string) => p.sim.stats.tableRequests[table] ?? 0;

describe('enrichment and delivery, end to end', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ env: { SNOWGATE_DELIVERY_SCHEDULE: '50ms,100ms,200ms,400ms,800ms,1600ms,3200ms' } });
  });
  afterAll(() => p.close());
  beforeEach(() => {
    p.subscriber.setResponses([]);
    p.sim.knobs.latencyMs = 0;
  });

  it('when a case changes in ServiceNow, then the subscriber gets one signed CloudEvent with the enriched latest state', async () => {
    const kase = p.sim.store.list(CASES)[0];
    await patchCase(p.sim.url, kase.sys_id, { short_description: 'Printer on fire', priority: '1' });
    const [got] = await p.subscriber.waitFor(1, 15_000);
    expect(got.signatureValid).toBe(true);
    expect(got.headers['content-type']).toMatch(/application\/cloudevents\+json/);
    expect(got.headers['webhook-id']).toBe(got.event?.id);
    const event = got.event!;
    expect(event.type).toBe('com.servicenow.case.updated');
    expect(event.source).toBe(`${p.sim.url}/${CASES}`);
    expect(event.subject).toBe(kase.sys_id);
    const data = event.data as Record<string, any>;
    expect(data.record.short_description).toBe('Printer on fire');
    expect(data.display_values.priority).toBe('1 - Critical');
    expect(data.account?.display_value).toBeTruthy();
  });

  it('when one case changes 10 times in a burst, then a few coalesced reads serve them and events arrive in order', async () => {
    const before = p.subscriber.events.length;
    const kase = p.sim.store.list(CASES)[1];
    const readsBefore = tableReads(p, CASES);
    // the burst's webhooks arrive together, as from ServiceNow's async business rules under load (the
    // simulator's own emitter posts them one after another, which spreads them by its answer times)
    p.sim.setWebhookTarget(null);
    const records = Array.from({ length: 10 }, (_, i) => p.sim.store.update(CASES, kase.sys_id, { short_description: `burst ${i + 1}` })!);
    p.sim.setWebhookTarget({ gatewayUrl: p.gateway.url, instanceId: p.instanceId, secret: p.webhookSecret });
    // ServiceNow takes 200 ms to answer (a real instance's order of magnitude): the changes that arrive while the
    // first read is in flight gather behind it, however slowly a loaded machine takes the burst in
    p.sim.knobs.latencyMs = 200;
    const answers = await Promise.all(
      records.map((record) => {
        const body = webhookBody({ table: CASES, operation: 'update', record });
        const headers = signedHeaders(p.webhookSecret, webhookIdFor(kase.sys_id, 'update', record.sys_mod_count!), body);
        return fetch(`${p.gateway.url}/webhooks/${p.instanceId}/${CASES}`, { method: 'POST', headers, body }).then((r) => r.status);
      }),
    );
    expect(answers).toEqual(records.map(() => 202));
    const all = await p.subscriber.waitFor(before + 10, 20_000);
    const burst = all.slice(before).filter((d) => d.event?.subject === kase.sys_id);
    expect(burst).toHaveLength(10);
    // the first change's read goes at once, the rest gather behind it into one more, and once a read returns the
    // latest state the state cache serves every later change: 2 reads here (unshared, it would be 10)
    expect(tableReads(p, CASES) - readsBefore).toBeLessThanOrEqual(3);
    const sequences = burst.map((d) => Number(d.event?.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const states = burst.map((d) => Number((d.event?.data as any).sys_mod_count));
    expect(states).toEqual([...states].sort((a, b) => a - b));
    expect((burst[9].event?.data as any).record.short_description).toBe('burst 10');
  });

  it('when the subscriber answers 500 then 200, then the event is delivered on retry with the same id', async () => {
    const before = p.subscriber.events.length;
    p.subscriber.setResponses([500, 200]);
    const kase = p.sim.store.list(CASES)[2];
    p.sim.store.update(CASES, kase.sys_id, { short_description: 'retry me' });
    const all = await p.subscriber.waitFor(before + 2, 15_000);
    const [first, second] = all.slice(before);
    expect(first.status).toBe(500);
    expect(second.status).toBe(200);
    expect(second.attempt).toBe(2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
  });

  it('when the subscriber answers 400, then the event is dead-lettered, and a replay delivers it', async () => {
    const before = p.subscriber.events.length;
    p.subscriber.setResponses([400]);
    const kase = p.sim.store.list(CASES)[3];
    p.sim.store.update(CASES, kase.sys_id, { short_description: 'refused once' });
    const [refused] = (await p.subscriber.waitFor(before + 1, 15_000)).slice(before);
    expect(refused.status).toBe(400);
    const eventId = refused.event!.id;
    const deliveries = p.gateway.snowgate.deliveries;
    let dead: unknown[] = [];
    for (let i = 0; i < 40 && dead.length === 0; i++) {
      dead = (await deliveries.deadLetters.list(0, 99)).filter((d: any) => d.event.id === eventId);
      if (!dead.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(dead).toHaveLength(1);
    expect((dead[0] as any).reason).toMatch(/400|rejected|permanent/i);
    await deliveries.replay(eventId);
    const [replayed] = (await p.subscriber.waitFor(before + 2, 15_000)).slice(before + 1);
    expect(replayed.status).toBe(204);
    expect(replayed.event?.id).toBe(eventId);
  });

  it('when a case is deleted, then a .deleted event arrives without reading the record', async () => {
    const before = p.subscriber.events.length;
    const kase = p.sim.store.list(CASES)[4];
    const reads = tableReads(p, CASES);
    // Deleting a case also deletes its attachments, so their .deleted events may arrive first.
    p.sim.store.delete(CASES, kase.sys_id);
    const got = await p.subscriber.waitForMatch((d) => d.event?.subject === kase.sys_id, before, 15_000);
    expect(got.event?.type).toBe('com.servicenow.case.deleted');
    expect(got.event?.subject).toBe(kase.sys_id);
    expect(tableReads(p, CASES)).toBe(reads);
  });

  it('a comment and an attachment arrive enriched with the parent case and the content hash', async () => {
    const before = p.subscriber.events.length;
    const kase = p.sim.store.list(CASES)[5];
    await patchCase(p.sim.url, kase.sys_id, { comments: 'Customer says hi' });
    const upload = await fetch(`${p.sim.url}/api/now/attachment/file?table_name=${CASES}&table_sys_id=${kase.sys_id}&file_name=hello.txt`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', accept: 'application/json', authorization: SIM_ADMIN_AUTH },
      body: 'hello world',
    });
    expect(upload.status).toBe(201);
    const got = (await p.subscriber.waitFor(before + 3, 15_000)).slice(before);
    const comment = got.find((d) => d.event?.type === 'com.servicenow.comment.created');
    const attachment = got.find((d) => d.event?.type === 'com.servicenow.attachment.created');
    expect((comment?.event?.data as any).value).toBe('Customer says hi');
    expect((comment?.event?.data as any).parent.case.number).toBe(kase.number);
    const journalRow = p.sim.store.get('sys_journal_field', comment!.event!.subject!)!;
    expect(journalRow.sys_created_by).not.toBe('');
    expect((comment?.event?.data as any).sys_created_by).toBe(journalRow.sys_created_by);
    expect((attachment?.event?.data as any).sha256).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
    expect((attachment?.event?.data as any).download.url).toContain('/api/now/attachment/');
  });

  it('when a work note is added to a case, then the work note event carries it and no case event shows the journal history', async () => {
    const before = p.subscriber.events.length;
    const kase = p.sim.store.list(CASES)[6];
    const note = `internal only ${Date.now()}`;
    await patchCase(p.sim.url, kase.sys_id, { work_notes: note });
    await p.subscriber.waitForMatch((d) => d.event?.type === 'com.servicenow.work_note.created' && (d.event.data as any).value === note, before, 15_000);
    await patchCase(p.sim.url, kase.sys_id, { short_description: 'after the note' });
    const update = await p.subscriber.waitForMatch((d) => d.event?.subject === kase.sys_id && (d.event.data as any).record?.short_description === 'after the note', before, 15_000);
    const data = update.event!.data as any;
    expect(data.display_values).not.toHaveProperty('work_notes');
    expect(data.display_values).not.toHaveProperty('comments_and_work_notes');
    const caseEvents = p.subscriber.events.slice(before).filter((d) => d.event?.subject === kase.sys_id);
    for (const d of caseEvents) expect(JSON.stringify(d.event)).not.toContain(note);
  });

  it('when a business rule generated before the author was sent posts a journal entry, then the event still carries its author (read from the entry)', async () => {
    const before = p.subscriber.events.length;
    const entry = p.sim.store.list('sys_journal_field').find((j) => j.sys_created_by !== 'admin')!;
    const { sys_created_by: _author, ...record } = JSON.parse(webhookBody({ table: 'sys_journal_field', operation: 'insert', record: entry })).record;
    const body = JSON.stringify({ table: 'sys_journal_field', sys_id: entry.sys_id, operation: 'insert', sys_updated_on: entry.sys_updated_on, sys_mod_count: '0', record });
    const headers = signedHeaders(p.webhookSecret, webhookIdFor(entry.sys_id, 'insert', '0'), body);
    expect((await fetch(`${p.gateway.url}/webhooks/${p.instanceId}/sys_journal_field`, { method: 'POST', headers, body })).status).toBe(202);
    const [got] = (await p.subscriber.waitFor(before + 1, 15_000)).slice(before);
    expect(got.event?.subject).toBe(entry.sys_id);
    expect((got.event?.data as any).sys_created_by).toBe(entry.sys_created_by);
    expect((got.event?.data as any).value).toBe(entry.value);
  });
});
