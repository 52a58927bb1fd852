import { ClientCredentials, ResourceOwnerPassword, type ModuleOptions } from 'simple-oauth2';
import { SANDBOX_CLIENT, SANDBOX_USER, SEED_IDS, startSimulator, type Simulator } from '../../src/simulator';
import { AXIOS_HEADERS, replay } from './replay';

/**
 * The requests of the Backstage ServiceNow plugin's backend (`@backstage-community/plugin-servicenow-backend`:
 * connection.ts, schema-checker.ts, client.ts), replayed against the simulator. It takes tokens with
 * simple-oauth2 (`authorizationMethod: 'body'`, client_credentials or password), checks the incident
 * schema in sys_dictionary, finds the user by email and lists incidents with X-Total-Count.
 */
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ knobs: { clientCredentialsEnabled: true } });
});
afterAll(() => sim.close());

const oauthOptions = (): ModuleOptions => ({
  client: { id: SANDBOX_CLIENT.clientId, secret: SANDBOX_CLIENT.clientSecret },
  auth: { tokenHost: sim.url, tokenPath: '/oauth_token.do' },
  options: { authorizationMethod: 'body' },
});

async function bearer(): Promise<Record<string, string>> {
  const token = await new ClientCredentials(oauthOptions()).getToken({});
  return { ...AXIOS_HEADERS, accept: 'application/json', authorization: `Bearer ${String(token.token.access_token)}` };
}

describe('Backstage ServiceNow backend against the simulator', () => {
  it('takes a token with client_credentials (body auth) and with the password grant', async () => {
    const cc = await new ClientCredentials(oauthOptions()).getToken({});
    expect(cc.token).toMatchObject({ token_type: 'Bearer', scope: 'useraccount', access_token: expect.any(String) });
    expect(cc.token.refresh_token).toBeUndefined();
    const pw = await new ResourceOwnerPassword(oauthOptions()).getToken({ username: SANDBOX_USER.username, password: SANDBOX_USER.password });
    expect(typeof pw.token.refresh_token).toBe('string');
  });

  it('schema check: sys_dictionary?sysparm_query=name=incident&sysparm_fields=element lists the incident columns it asks for', async () => {
    const res = await replay(sim.url, { method: 'GET', path: '/api/now/table/sys_dictionary?sysparm_query=name%3Dincident&sysparm_fields=element&sysparm_limit=500', headers: await bearer() });
    expect(res.status).toBe(200);
    const elements = new Set(res.json.result.map((r: { element: string }) => r.element));
    for (const f of ['sys_id', 'number', 'short_description', 'description', 'sys_created_on', 'priority', 'incident_state', 'caller_id', 'opened_by', 'assigned_to']) expect(elements).toContain(f);
    expect(elements.has('u_backstage_entity_id')).toBe(false);
    expect(Object.keys(res.json.result[0])).toEqual(['element']);
  });

  it('finds the user by email, then lists that user\'s incidents with the fields asked and X-Total-Count', async () => {
    const headers = await bearer();
    const user = await replay(sim.url, { method: 'GET', path: `/api/now/table/sys_user?sysparm_query=email=${encodeURIComponent('david.loo@example.com')}&sysparm_fields=sys_id`, headers });
    const id = user.json.result[0].sys_id;
    expect(id).toBe(SEED_IDS.user('david.loo'));
    const query = new URLSearchParams();
    query.append('sysparm_query', `caller_id=${id}^ORopened_by=${id}^ORassigned_to=${id}^stateIN1,2,3^numberLIKEINC^ORshort_descriptionLIKEINC^ORdescriptionLIKEINC^ORDERBYDESCsys_created_on`);
    query.append('sysparm_limit', '2');
    query.append('sysparm_offset', '0');
    query.append('sysparm_fields', ' sys_id,number,short_description,description,sys_created_on,priority,incident_state');
    query.append('sysparm_count', 'true');
    const res = await replay(sim.url, { method: 'GET', path: `/api/now/table/incident?${query.toString()}`, headers });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('x-total-count'))).toBe(3);
    expect(res.json.result.map((r: { number: string }) => r.number)).toEqual(['INC0010006', 'INC0010003']);
    expect(Object.keys(res.json.result[0]).sort()).toEqual(['description', 'incident_state', 'number', 'short_description', 'sys_created_on', 'sys_id', 'priority'].sort());
    expect(res.json.result[0].incident_state).toBe('2');
  });
});
