import { SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { AXIOS_HEADERS, basicAuth, replay, type ReplayedRequest } from './replay';

/**
 * The requests of the Backstage scaffolder's ServiceNow actions (`scaffolder-backend-module-servicenow`:
 * the client generated from ServiceNow's Table API OpenAPI — `Accept: application/json`, Basic auth,
 * `Content-Type: application/json` only with a body, undefined query values left out), replayed against
 * the simulator, asserting what the actions read and the error statuses they map.
 */
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

function action(method: string, path: string, body?: unknown, auth = basicAuth()): Promise<Awaited<ReturnType<typeof replay>>> {
  const headers: Record<string, string> = { ...AXIOS_HEADERS, accept: 'application/json', ...auth };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const req: ReplayedRequest = { method, path, headers, body };
  return replay(sim.url, req);
}

describe('Backstage scaffolder ServiceNow actions against the simulator', () => {
  it('servicenow:now:table:retrieveRecords: display values without links, the fields asked, a page', async () => {
    const res = await action('GET', '/api/now/table/incident?sysparm_query=active%3Dtrue%5EORDERBYnumber&sysparm_display_value=true&sysparm_exclude_reference_link=true&sysparm_fields=number%2Ccaller_id%2Cstate&sysparm_limit=2');
    expect(res.status).toBe(200);
    expect(res.json.result).toEqual([
      { number: 'INC0010001', caller_id: 'David Loo', state: 'In Progress' },
      { number: 'INC0010002', caller_id: 'Abel Tuter', state: 'New' },
    ]);
  });

  it('createRecord → retrieveRecord → modifyRecord (PUT) → updateRecord (PATCH) → deleteRecord', async () => {
    const created = await action('POST', '/api/now/table/incident?sysparm_exclude_reference_link=true', {
      short_description: 'Created from Backstage', caller_id: SEED_IDS.user('fred.luddy'), impact: '2', urgency: '2',
    });
    expect(created.status).toBe(201);
    const sysId = created.json.result.sys_id;
    expect(created.json.result).toMatchObject({ caller_id: SEED_IDS.user('fred.luddy'), priority: '3' });
    expect(created.headers.get('location')).toBe(`${sim.url}/api/now/table/incident/${sysId}`);

    const read = await action('GET', `/api/now/table/incident/${sysId}?sysparm_fields=number%2Cshort_description`);
    expect(Object.keys(read.json.result)).toEqual(['number', 'short_description']);
    const put = await action('PUT', `/api/now/table/incident/${sysId}?sysparm_input_display_value=true`, { assignment_group: 'Database' });
    expect([put.status, put.json.result.assignment_group.value]).toEqual([200, SEED_IDS.group(2)]);
    const patch = await action('PATCH', `/api/now/table/incident/${sysId}`, { work_notes: 'Picked up by the platform team' });
    expect([patch.status, patch.json.result.work_notes, patch.json.result.sys_mod_count]).toEqual([200, '', '2']);

    const deleted = await action('DELETE', `/api/now/table/incident/${sysId}`);
    expect([deleted.status, deleted.bytes.length]).toEqual([204, 0]);
    const again = await action('DELETE', `/api/now/table/incident/${sysId}`);
    expect([again.status, again.json]).toEqual([404, { error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' }]);
  });

  it('the error statuses the generated client maps: 401 bad credentials, 404 unknown record, 405 DELETE without a sys_id', async () => {
    const unauthorized = await action('GET', '/api/now/table/incident?sysparm_limit=1', undefined, basicAuth('admin', 'wrong'));
    expect([unauthorized.status, unauthorized.json.error.message]).toEqual([401, 'User Not Authenticated']);
    const missing = await action('GET', `/api/now/table/incident/${'0'.repeat(32)}`);
    expect([missing.status, missing.json.status]).toEqual([404, 'failure']);
    const noId = await action('DELETE', '/api/now/table/incident');
    expect([noId.status, noId.json.status]).toEqual([405, 'failure']);
  });
});
