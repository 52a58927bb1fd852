import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { api } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const INCIDENTS = '/api/now/table/incident';
const PLAIN = 'sysparm_exclude_reference_link=true';

async function create(body: unknown, query = PLAIN) {
  return api(sim.url, `${INCIDENTS}?${query}`, { method: 'POST', body });
}
async function patch(id: string, body: unknown, query = PLAIN) {
  return api(sim.url, `${INCIDENTS}/${id}?${query}`, { method: 'PATCH', body });
}

describe('incident table', () => {
  it('when an empty body is POSTed, then 201 with the out-of-box defaults and opened_by = the caller', async () => {
    const res = await create({});
    expect(res.status).toBe(201);
    const r = res.body.result;
    expect(res.headers.get('location')).toBe(`${sim.url}${INCIDENTS}/${r.sys_id}`);
    expect(r).toMatchObject({
      state: '1', impact: '3', urgency: '3', priority: '5', category: 'inquiry', active: 'true', reopen_count: '0',
      opened_by: SEED_IDS.user('admin'), sys_created_by: 'admin', sys_class_name: 'incident', caller_id: '', correlation_id: '',
    });
    expect(r.number).toMatch(/^INC\d{7}$/);
    expect(r.opened_at).toBe(r.sys_created_on);
  });

  it.each([
    ['1', '1', '1'], ['1', '2', '2'], ['1', '3', '3'], ['2', '1', '2'], ['2', '2', '3'], ['2', '3', '4'], ['3', '1', '3'], ['3', '2', '4'], ['3', '3', '5'],
  ])('when impact %s and urgency %s are written, then priority is %s whatever the client sent', async (impact, urgency, priority) => {
    const res = await create({ impact, urgency, priority: '1' });
    expect(res.body.result.priority).toBe(priority);
    expect(sim.store.get('incident', res.body.result.sys_id)!.priority).toBe(priority);
  });

  it('when impact or urgency changes later, then priority is computed again', async () => {
    const id = (await create({ impact: '3', urgency: '3' })).body.result.sys_id;
    expect((await patch(id, { urgency: '1' })).body.result.priority).toBe('3');
    expect((await patch(id, { impact: '1' })).body.result.priority).toBe('1');
    expect((await patch(id, { priority: '5' })).body.result).toMatchObject({ priority: '1', sys_mod_count: '2' });
  });

  it('when state 6 or 7 is written without close_code and close_notes, then 403 Data Policy Exception and nothing changes', async () => {
    const id = (await create({ short_description: 'to resolve' })).body.result.sys_id;
    for (const state of ['6', '7']) {
      const res = await patch(id, { state });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: { message: 'Operation Failed', detail: 'Data Policy Exception: \n\tThe following fields are mandatory: Resolution code, Close notes' },
        status: 'failure',
      });
    }
    const half = await patch(id, { state: '6', close_code: 'Solution provided' });
    expect(half.body.error.detail).toBe('Data Policy Exception: \n\tThe following fields are mandatory: Close notes');
    expect(sim.store.get('incident', id)).toMatchObject({ state: '1', close_code: '', sys_mod_count: '0' });
    const posted = await create({ state: '7', close_notes: 'done' });
    expect(posted.status).toBe(403);
    expect(posted.body.error.detail).toContain('Resolution code');
  });

  it('when resolved with both fields, then resolved_*; closing sets closed_* and active=false; reopening counts and clears them', async () => {
    const id = (await create({ short_description: 'lifecycle' })).body.result.sys_id;
    const resolved = (await patch(id, { state: '6', close_code: 'Solution provided', close_notes: 'Restarted the service' })).body.result;
    expect(resolved).toMatchObject({ state: '6', resolved_by: SEED_IDS.user('admin'), active: 'true' });
    expect(resolved.resolved_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const reopened = (await patch(id, { state: '2' })).body.result;
    expect(reopened).toMatchObject({ state: '2', reopen_count: '1', reopened_by: SEED_IDS.user('admin'), resolved_at: '', resolved_by: '' });
    expect(reopened.reopened_time).toBe(reopened.sys_updated_on);
    const closed = (await patch(id, { state: '7' })).body.result;
    expect(closed).toMatchObject({ state: '7', active: 'false', closed_by: SEED_IDS.user('admin') });
  });

  it('when leaving On Hold, then hold_reason is cleared', async () => {
    const id = (await create({ state: '3', hold_reason: '1' })).body.result.sys_id;
    expect(sim.store.get('incident', id)!.hold_reason).toBe('1');
    expect((await patch(id, { state: '2' })).body.result.hold_reason).toBe('');
  });

  it('correlation_id is not unique, is queryable and keeps at most 100 characters; short_description at most 160', async () => {
    const key = `apono:${Date.now()}`;
    const a = (await create({ correlation_id: key, correlation_display: 'Apono' })).body.result;
    const b = (await create({ correlation_id: key })).body.result;
    expect(a.sys_id).not.toBe(b.sys_id);
    const found = await api(sim.url, `${INCIDENTS}?sysparm_query=correlation_id=${encodeURIComponent(key)}^ORDERBYnumber&sysparm_fields=sys_id,correlation_display`);
    expect(found.body.result).toEqual([{ sys_id: a.sys_id, correlation_display: 'Apono' }, { sys_id: b.sys_id, correlation_display: '' }]);
    const long = (await create({ correlation_id: 'k'.repeat(150), short_description: 's'.repeat(200) })).body.result;
    expect(long.correlation_id).toHaveLength(100);
    expect(long.short_description).toHaveLength(160);
  });

  it('references point to sys_user, sys_user_group, core_company and change_request; display values name them', async () => {
    const res = await create({
      caller_id: SEED_IDS.user('david.loo'), assigned_to: SEED_IDS.user('beth.anglin'), assignment_group: SEED_IDS.group(1),
      company: SEED_IDS.company(0), caused_by: SEED_IDS.change(0), impact: '2', state: '2', hold_reason: '',
    }, 'sysparm_display_value=true');
    const r = res.body.result;
    expect(r.caller_id).toEqual({ display_value: 'David Loo', link: `${sim.url}/api/now/table/sys_user/${SEED_IDS.user('david.loo')}` });
    expect(r.assignment_group.display_value).toBe('Network');
    expect(r.company.display_value).toBe('ACME North America');
    expect(r.caused_by.display_value).toBe('CHG0030001');
    expect(r.opened_by.display_value).toBe('System Administrator');
    expect(r).toMatchObject({ impact: '2 - Medium', state: 'In Progress', priority: '4 - Low', category: 'Inquiry / Help' });
  });

  it('when the issue-13 template body is POSTed as rendered, then the strings are stored as given and unknown fields dropped', async () => {
    const body = {
      caused_by: 'Jane O\'Neil', short_description: 'Okta', cause: 'RequestCreated', reopened_by: 'apono app',
      description: '{ "event_type": "RequestCreated", "id": "r-1" }', made_up_field: 'dropped',
    };
    const res = await create(body);
    expect(res.status).toBe(201);
    expect(res.body.result).toMatchObject({ caused_by: 'Jane O\'Neil', cause: 'RequestCreated', reopened_by: 'apono app', short_description: 'Okta' });
    expect(res.body.result).not.toHaveProperty('made_up_field');
    const shaped = await api(sim.url, `${INCIDENTS}/${res.body.result.sys_id}?sysparm_display_value=all&sysparm_fields=reopened_by`);
    expect(shaped.body.result.reopened_by).toMatchObject({ display_value: '', value: 'apono app' });
  });

  it('seeds groups and six incidents INC0010001… whose states all satisfy the data policy', async () => {
    const groups = await api(sim.url, '/api/now/table/sys_user_group?sysparm_fields=name,manager&sysparm_exclude_reference_link=true&sysparm_query=ORDERBYname');
    expect(groups.body.result.map((g: { name: string }) => g.name)).toEqual(['Customer Service', 'Database', 'Network', 'Service Desk']);
    const seeded = sim.store.list('incident').filter((i) => /^INC001000[1-6]$/.test(i.number));
    expect(seeded.map((i) => i.sys_id)).toEqual([0, 1, 2, 3, 4, 5].map((i) => SEED_IDS.incident(i)));
    expect(new Set(seeded.map((i) => i.state))).toEqual(new Set(['1', '2', '3', '6', '7']));
    for (const i of seeded.filter((x) => ['6', '7'].includes(x.state))) expect(i.close_code && i.close_notes).toBeTruthy();
  });
});
