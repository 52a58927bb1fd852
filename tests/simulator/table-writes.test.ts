import { SANDBOX_CLIENT, SEED_IDS, type Simulator } from '../../src/simulator';
import { newSysId } from '../../src/simulator/glide-values';
import { api, simulatorForFile, tokenRequest } from './sim-client';

const simulator = simulatorForFile();
let sim: Simulator;
beforeEach(() => {
  sim = simulator();
});

const INCIDENTS = '/api/now/table/incident';
const KB = '/api/now/table/kb_knowledge';

async function integrationAuth(): Promise<Record<string, string>> {
  const { body } = await tokenRequest(sim.url, { grant_type: 'client_credentials', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret });
  return { authorization: `Bearer ${body.access_token}` };
}

describe('Table API write details', () => {
  it('when the body is an array, then only its first element is inserted', async () => {
    const before = sim.store.list('incident').length;
    const res = await api(sim.url, INCIDENTS, { method: 'POST', body: [{ short_description: 'first' }, { short_description: 'second' }] });
    expect(res.status).toBe(201);
    expect(res.body.result.short_description).toBe('first');
    expect(sim.store.list('incident')).toHaveLength(before + 1);
  });

  it('a client sys_id is kept; a POST repeating it is 403 unique-key violation, or a new record with duplicateSysIdInsert=new-sys-id', async () => {
    const sysId = newSysId();
    const first = await api(sim.url, INCIDENTS, { method: 'POST', body: { sys_id: sysId, short_description: 'mine' } });
    expect(first.body.result.sys_id).toBe(sysId);
    const again = await api(sim.url, INCIDENTS, { method: 'POST', body: { sys_id: sysId, short_description: 'again' } });
    expect(again.status).toBe(403);
    expect(again.body.error).toEqual({ message: 'Operation Failed', detail: expect.stringContaining(`Unique Key violation detected by database`) });
    expect(sim.store.get('incident', sysId)!.short_description).toBe('mine');
    sim.knobs.duplicateSysIdInsert = 'new-sys-id';
    const other = await api(sim.url, INCIDENTS, { method: 'POST', body: { sys_id: sysId, short_description: 'again' } });
    expect(other.status).toBe(201);
    expect(other.body.result.sys_id).not.toBe(sysId);
  });

  it('sys_id and sys_created_* may be set by any writer, and only by admin when adminOnlySysFields is on', async () => {
    const body = () => ({ sys_id: newSysId(), sys_created_on: '2020-01-02 03:04:05', sys_created_by: 'legacy.import' });
    const headers = await integrationAuth();
    const open = (await api(sim.url, INCIDENTS, { method: 'POST', body: body(), headers })).body.result;
    expect(open).toMatchObject({ sys_created_on: '2020-01-02 03:04:05', sys_created_by: 'legacy.import', sys_updated_by: 'snowgate.integration' });
    sim.knobs.adminOnlySysFields = true;
    const sent = body();
    const locked = (await api(sim.url, INCIDENTS, { method: 'POST', body: sent, headers })).body.result;
    expect(locked.sys_id).not.toBe(sent.sys_id);
    expect(locked).toMatchObject({ sys_created_by: 'snowgate.integration' });
    expect(locked.sys_created_on).not.toBe('2020-01-02 03:04:05');
    const admin = body();
    expect((await api(sim.url, INCIDENTS, { method: 'POST', body: admin })).body.result).toMatchObject({ sys_id: admin.sys_id, sys_created_by: 'legacy.import' });
  });

  it('PUT and PATCH of an unknown sys_id are 404 No Record found; DELETE answers 204 with no body', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await api(sim.url, `${INCIDENTS}/${newSysId()}`, { method, body: method === 'DELETE' ? undefined : { urgency: '1' } });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No Record found');
    }
    const id = sim.store.insert('incident', { short_description: 'to delete' }).sys_id;
    const del = await api(sim.url, `${INCIDENTS}/${id}`, { method: 'DELETE' });
    expect([del.status, del.text]).toEqual([204, '']);
    expect(sim.store.get('incident', id)).toBeUndefined();
  });

  it('invalid sysparm_fields names are ignored in a POST answer', async () => {
    const res = await api(sim.url, `${INCIDENTS}?sysparm_fields=number,nope,priority`, { method: 'POST', body: { impact: '1', urgency: '1' } });
    expect(Object.keys(res.body.result)).toEqual(['number', 'priority']);
    expect(res.body.result.priority).toBe('1');
  });

  it('X-no-response-body: a POST answers 201 + Location without a body; a PATCH 204 (200 with noResponseBodyStatus) and is committed', async () => {
    const headers = { 'x-no-response-body': 'true' };
    const created = await api(sim.url, INCIDENTS, { method: 'POST', body: { short_description: 'quiet' }, headers });
    expect([created.status, created.text]).toEqual([201, '']);
    const id = created.headers.get('location')!.split('/').pop()!;
    expect(sim.store.get('incident', id)!.short_description).toBe('quiet');
    const patched = await api(sim.url, `${INCIDENTS}/${id}`, { method: 'PATCH', body: { urgency: '2' }, headers });
    expect([patched.status, patched.text]).toEqual([204, '']);
    sim.knobs.noResponseBodyStatus = 200;
    const put = await api(sim.url, `${INCIDENTS}/${id}`, { method: 'PUT', body: { urgency: '1' }, headers });
    expect([put.status, put.text]).toEqual([200, '']);
    expect(sim.store.get('incident', id)).toMatchObject({ urgency: '1', sys_mod_count: '2' });
  });

  it('when a table is in readOnlyTables, then every API write gets 403 ACL Exception {Insert|Update|Delete} and reads still work', async () => {
    const id = sim.store.insert('incident', { short_description: 'protected' }).sys_id;
    sim.knobs.readOnlyTables = ['incident', 'sn_customerservice_case'];
    const attempts: Array<[string, string, unknown]> = [['POST', INCIDENTS, {}], ['PATCH', `${INCIDENTS}/${id}`, { urgency: '1' }], ['DELETE', `${INCIDENTS}/${id}`, undefined]];
    const details = [];
    for (const [method, path, body] of attempts) {
      const res = await api(sim.url, path, { method, body });
      expect(res.status).toBe(403);
      details.push(res.body.error.detail);
    }
    expect(details).toEqual(['Insert', 'Update', 'Delete'].map((op) => `ACL Exception ${op} Failed due to security constraints`));
    expect(sim.store.get('incident', id)).toMatchObject({ urgency: '3', sys_mod_count: '0' });
    expect((await api(sim.url, `${INCIDENTS}/${id}`)).status).toBe(200);
    const viaCaseApi = await api(sim.url, `/api/sn_customerservice/case/${SEED_IDS.case(2)}`, { method: 'PUT', body: { priority: '1' } });
    expect([viaCaseApi.status, viaCaseApi.body.error.message]).toEqual([403, 'Operation Failed']);
  });
});

describe('kb_knowledge writes', () => {
  it('creates a draft HTML article in a knowledge base, then publishes it by PATCH', async () => {
    const created = await api(sim.url, `${KB}?sysparm_exclude_reference_link=true`, {
      method: 'POST', body: { short_description: 'Reset MFA', text: '<p>Open <b>Settings</b></p>', kb_knowledge_base: SEED_IDS.knowledgeBase(1) },
    });
    expect(created.status).toBe(201);
    expect(created.body.result).toMatchObject({ workflow_state: 'draft', article_type: 'text', kb_knowledge_base: SEED_IDS.knowledgeBase(1), text: '<p>Open <b>Settings</b></p>', published: '' });
    const published = await api(sim.url, `${KB}/${created.body.result.sys_id}?sysparm_display_value=true`, { method: 'PATCH', body: { workflow_state: 'published' } });
    expect(published.body.result).toMatchObject({ workflow_state: 'Published', kb_knowledge_base: { display_value: 'Customer Service' } });
    expect(published.body.result.published).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('takes every workflow_state value, and its labels with sysparm_input_display_value', async () => {
    const id = sim.store.insert('kb_knowledge', { short_description: 'states' }).sys_id;
    for (const state of ['review', 'published', 'pending_retirement', 'retired', 'outdated', 'draft']) {
      expect((await api(sim.url, `${KB}/${id}`, { method: 'PATCH', body: { workflow_state: state } })).body.result.workflow_state).toBe(state);
    }
    const res = await api(sim.url, `${KB}/${id}?sysparm_input_display_value=true`, { method: 'PATCH', body: { workflow_state: 'Pending Retirement', kb_knowledge_base: 'IT' } });
    expect(res.body.result.workflow_state).toBe('pending_retirement');
    expect(res.body.result.kb_knowledge_base.value).toBe(SEED_IDS.knowledgeBase(0));
  });
});
