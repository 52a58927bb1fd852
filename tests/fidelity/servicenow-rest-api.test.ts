import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { AXIOS_HEADERS, basicAuth, replay } from './replay';

/**
 * The requests of the npm package `servicenow-rest-api` (servicenow.js: axios, Basic auth, /api/now/v2
 * reads, display values on writes), replayed against the simulator, asserting what the package reads
 * from each answer. The package itself is not a dependency: its requests are written out here.
 */
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const get = (path: string) => replay(sim.url, { method: 'GET', path, headers: { ...AXIOS_HEADERS, ...basicAuth() } });
const write = (method: string, path: string, body?: unknown) =>
  replay(sim.url, { method, path, body, headers: { ...AXIOS_HEADERS, ...basicAuth(), accept: 'application/json', 'content-type': 'application/json' } });

describe('servicenow-rest-api against the simulator', () => {
  it('Authenticate: GET /api/now/v2/table/sys_user?user_name=… finds that one user (a name-value pair filter)', async () => {
    const res = await get('/api/now/v2/table/sys_user?user_name=admin');
    expect(res.status).toBe(200);
    expect(res.json.result.map((u: { user_name: string }) => u.user_name)).toEqual(['admin']);
  });

  it('getSampleData / getTableData: display values for the fields asked, filters joined with ^', async () => {
    const sample = await get('/api/now/v2/table/incident?sysparm_limit=1');
    expect(sample.json.result).toHaveLength(1);
    const data = await get('/api/now/v2/table/incident?sysparm_display_value=true&sysparm_fields=number,short_description,assignment_group,priority&sysparm_query=active=true^priority=1');
    expect(data.status).toBe(200);
    expect(data.json.result).toEqual([{
      number: 'INC0010001', short_description: 'Email server not responding', priority: '1 - Critical',
      assignment_group: { display_value: 'Service Desk', link: `${sim.url}/api/now/table/sys_user_group/${SEED_IDS.group(0)}` },
    }]);
  });

  it('createNewTask → getSysId → UpdateTask → DeleteTask: display values in and out, 201 / 200 / 204', async () => {
    const created = await write('POST', '/api/now/table/incident?sysparm_input_display_value=true&sysparm_display_value=true', {
      short_description: 'Printer jam on floor 2', urgency: '1 - High', assignment_group: 'Network', caller_id: 'Beth Anglin',
    });
    expect(created.status).toBe(201);
    const incident = created.json.result;
    expect(incident).toMatchObject({ urgency: '1 - High', state: 'New', assignment_group: { display_value: 'Network' }, caller_id: { display_value: 'Beth Anglin' } });
    expect(sim.store.get('incident', sim.store.list('incident').find((r) => r.number === incident.number)!.sys_id)?.caller_id).toBe(SEED_IDS.user('beth.anglin'));

    const sysId = (await get(`/api/now/v2/table/incident?sysparm_query=number=${incident.number}&sysparm_fields=sys_id`)).json.result[0].sys_id;
    expect(sysId).toMatch(/^[0-9a-f]{32}$/);

    const updated = await write('PUT', `/api/now/table/incident/${sysId}?sysparm_input_display_value=true&sysparm_display_value=true`, { state: 'In Progress' });
    expect([updated.status, updated.json.result.state]).toEqual([200, 'In Progress']);

    const deleted = await write('DELETE', `/api/now/table/incident/${sysId}`);
    expect([deleted.status, deleted.bytes.length]).toEqual([204, 0]);
    expect(sim.store.get('incident', sysId)).toBeUndefined();
  });

  it('getChangeTasks: ?change_request=<number> matches the reference by its display value', async () => {
    const res = await get('/api/now/table/change_task?change_request=CHG0030001&sysparm_fields=number,sys_id');
    expect(res.json.result).toEqual([
      { number: 'CTASK0010001', sys_id: SEED_IDS.changeTask(0) },
      { number: 'CTASK0010002', sys_id: SEED_IDS.changeTask(1) },
    ]);
  });

  it('getAllAttachmentsMetaData / getAttachmentMetaData / getAttachment: ?table_sys_id= lists only that record\'s files', async () => {
    const list = await get(`/api/now/attachment?table_sys_id=${SEED_IDS.case(0)}`);
    expect(list.json.result.map((a: { file_name: string }) => a.file_name).sort()).toEqual(['login-error.txt', 'screenshot.png']);
    const id = list.json.result.find((a: { file_name: string }) => a.file_name === 'login-error.txt').sys_id;
    expect((await get(`/api/now/attachment/${id}`)).json.result.table_sys_id).toBe(SEED_IDS.case(0));
    const file = await get(`/api/now/attachment/${id}/file`);
    expect([file.status, file.bytes.toString('utf8')]).toEqual([200, expect.stringContaining('account locked')]);
  });
});
