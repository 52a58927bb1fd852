import type { Simulator } from '../../src/simulator';
import { QUOTA_BODY } from '../../src/simulator/api-faults';
import { api, simulatorForFile } from './sim-client';

const simulator = simulatorForFile();
let sim: Simulator;
beforeEach(() => {
  sim = simulator();
});

const INCIDENTS = '/api/now/table/incident';

function incidentsWith(correlationId: string) {
  return sim.store.list('incident').filter((i) => i.correlation_id === correlationId);
}

/** A POST whose outcome is either the answer or the network error (a dropped response rejects). */
async function tryPost(body: unknown): Promise<{ status: number; body: any } | { error: string }> {
  try {
    return await api(sim.url, INCIDENTS, { method: 'POST', body });
  } catch (err) {
    return { error: String((err as Error & { cause?: Error }).cause?.message ?? err) };
  }
}

describe('write faults', () => {
  it('when dropNextWriteResponses is 1, then the next write is committed but its answer is lost; the one after answers', async () => {
    sim.knobs.dropNextWriteResponses = 1;
    const key = `drop-${Date.now()}`;
    const lost = await tryPost({ correlation_id: key, short_description: 'lost answer' });
    expect(lost).toEqual({ error: expect.stringMatching(/socket|closed|terminated/i) });
    expect(incidentsWith(key)).toHaveLength(1);
    expect(sim.knobs.dropNextWriteResponses).toBe(0);
    expect(sim.stats.faults.droppedAfterCommit).toBeGreaterThanOrEqual(1);
    const found = await api(sim.url, `${INCIDENTS}?sysparm_query=correlation_id=${key}&sysparm_fields=sys_id`);
    expect(found.body.result).toEqual([{ sys_id: incidentsWith(key)[0].sys_id }]);
    expect(await tryPost({ correlation_id: `${key}-next` })).toMatchObject({ status: 201 });
  });

  it('when a PATCH loses its answer, then the update is still committed', async () => {
    const id = sim.store.insert('incident', { short_description: 'patch me' }).sys_id;
    sim.knobs.dropNextWriteResponses = 1;
    await expect(api(sim.url, `${INCIDENTS}/${id}`, { method: 'PATCH', body: { urgency: '1' } })).rejects.toThrow();
    expect(sim.store.get('incident', id)).toMatchObject({ urgency: '1', sys_mod_count: '1' });
  });

  it('a refused write answers normally and does not use up a drop; reads are never dropped', async () => {
    sim.knobs.dropNextWriteResponses = 1;
    expect(await tryPost({ state: '6' })).toMatchObject({ status: 403 });
    expect((await api(sim.url, `${INCIDENTS}?sysparm_limit=1`)).status).toBe(200);
    expect(sim.knobs.dropNextWriteResponses).toBe(1);
  });

  it('when dropResponseAfterCommit is 1, then every write is committed without an answer', async () => {
    sim.knobs.dropResponseAfterCommit = 1;
    const key = `always-${Date.now()}`;
    for (let i = 0; i < 3; i++) expect(await tryPost({ correlation_id: key })).toHaveProperty('error');
    expect(incidentsWith(key)).toHaveLength(3);
  });

  it('when more writes arrive than writeConcurrencyLimit + writeQueueSize, then the rest get 429 without Retry-After; reads are not limited', async () => {
    Object.assign(sim.knobs, { writeConcurrencyLimit: 1, writeQueueSize: 1, latencyMs: 800 });
    const key = `sem-${Date.now()}`;
    const writes = Array.from({ length: 4 }, () => api(sim.url, INCIDENTS, { method: 'POST', body: { correlation_id: key } }));
    const read = api(sim.url, `${INCIDENTS}?sysparm_limit=1`);
    const answers = await Promise.all(writes);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body).toEqual({ error: { message: 'Too Many Requests', detail: 'API_INT semaphore queue is full (maximum 1)' }, status: 'failure' });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect((await read).status).toBe(200);
    expect(incidentsWith(key)).toHaveLength(2);
  });

  it('when a request would outlive quotaTimeoutMs, then it is cancelled with 500 before anything is written', async () => {
    Object.assign(sim.knobs, { quotaTimeoutMs: 50, latencyMs: 300 });
    const key = `quota-${Date.now()}`;
    const res = await tryPost({ correlation_id: key });
    expect(res).toEqual(expect.objectContaining({ status: 500, body: QUOTA_BODY }));
    expect(incidentsWith(key)).toHaveLength(0);
  });

  it('a rate-limit rule counts writes: past the limit a POST gets 429 with Retry-After and is not committed', async () => {
    sim.knobs.rateLimitPerHour = 1;
    const key = `rl-${Date.now()}`;
    const first = await api(sim.url, INCIDENTS, { method: 'POST', body: { correlation_id: key } });
    expect(first.status).toBe(201);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1');
    const second = await api(sim.url, INCIDENTS, { method: 'POST', body: { correlation_id: key } });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(second.body.error.message).toBe('Rate limit exceeded');
    expect(incidentsWith(key)).toHaveLength(1);
  });

  it('POST /__sim/knobs sets the write knobs at run time', async () => {
    const res = await fetch(`${sim.url}/__sim/knobs`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropNextWriteResponses: 2, writeConcurrencyLimit: 5 }),
    });
    expect(((await res.json()) as { applied: string[] }).applied).toEqual(['dropNextWriteResponses', 'writeConcurrencyLimit']);
    expect(sim.knobs).toMatchObject({ dropNextWriteResponses: 2, writeConcurrencyLimit: 5 });
  });
});
